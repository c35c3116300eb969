CREATE TABLE "snapshots" (
	"id" text PRIMARY KEY NOT NULL,
	"dataset_id" text NOT NULL,
	"state" text DEFAULT 'building' NOT NULL,
	"trigger" text NOT NULL,
	"horizon" bigint NOT NULL,
	"previous_id" text,
	"records" integer,
	"bytes" bigint,
	"shards" integer,
	"merkle_root" text,
	"manifest_sha256" text,
	"changes" jsonb,
	"error" text,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "robots" text;--> statement-breakpoint
ALTER TABLE "urls" ADD COLUMN "http_status" integer;--> statement-breakpoint
CREATE INDEX "snapshots_dataset_idx" ON "snapshots" USING btree ("dataset_id","requested_at");