CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"scopes" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"status" text NOT NULL,
	"spec" jsonb NOT NULL,
	"seeded" boolean DEFAULT false NOT NULL,
	"dataset_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"campaign_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "duplicates" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dataset_id" text NOT NULL,
	"campaign_id" text NOT NULL,
	"url_id" bigint NOT NULL,
	"url" text NOT NULL,
	"final_url" text NOT NULL,
	"node_id" text NOT NULL,
	"text_hash" text NOT NULL,
	"original_record_id" text NOT NULL,
	"body_sha256" text NOT NULL,
	"blob_key" text NOT NULL,
	"fetched_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "nodes" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"name" text NOT NULL,
	"public_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "owners" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "owners_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "points_ledger" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"node_id" text NOT NULL,
	"record_id" text NOT NULL,
	"points" integer NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "records" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"dataset_id" text NOT NULL,
	"campaign_id" text NOT NULL,
	"url_id" bigint NOT NULL,
	"url" text NOT NULL,
	"final_url" text NOT NULL,
	"host" text NOT NULL,
	"status" integer NOT NULL,
	"content_type" text,
	"fetched_at" timestamp with time zone NOT NULL,
	"node_id" text NOT NULL,
	"owner_id" text NOT NULL,
	"body_sha256" text NOT NULL,
	"blob_key" text NOT NULL,
	"title" text,
	"text" text NOT NULL,
	"markdown" text NOT NULL,
	"language" text,
	"text_hash" text NOT NULL,
	"text_bytes" integer NOT NULL,
	"metadata" jsonb,
	"txid" bigint DEFAULT txid_current() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "records_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "urls" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"url" text NOT NULL,
	"url_hash" text NOT NULL,
	"host" text NOT NULL,
	"depth" integer NOT NULL,
	"state" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error_code" text,
	"error_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "nodes" ADD CONSTRAINT "nodes_owner_id_owners_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."owners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "duplicates_url_idx" ON "duplicates" USING btree ("url_id");--> statement-breakpoint
CREATE INDEX "duplicates_campaign_idx" ON "duplicates" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "nodes_owner_idx" ON "nodes" USING btree ("owner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "points_record_idx" ON "points_ledger" USING btree ("record_id");--> statement-breakpoint
CREATE INDEX "points_owner_idx" ON "points_ledger" USING btree ("owner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "records_url_idx" ON "records" USING btree ("url_id");--> statement-breakpoint
CREATE UNIQUE INDEX "records_dataset_text_hash_idx" ON "records" USING btree ("dataset_id","text_hash");--> statement-breakpoint
CREATE INDEX "records_feed_idx" ON "records" USING btree ("dataset_id","txid","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "urls_campaign_hash_idx" ON "urls" USING btree ("campaign_id","url_hash");--> statement-breakpoint
CREATE INDEX "urls_campaign_state_idx" ON "urls" USING btree ("campaign_id","state");