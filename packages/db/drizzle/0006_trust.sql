CREATE TABLE "epochs" (
	"id" integer PRIMARY KEY NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"merkle_root" text,
	"total_points" bigint,
	"publication" jsonb
);
--> statement-breakpoint
CREATE TABLE "verifications" (
	"id" text PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"record_id" text NOT NULL,
	"url" text NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"ballots" jsonb NOT NULL,
	"fetches_asked" integer DEFAULT 1 NOT NULL,
	"outcome" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "nodes" ADD COLUMN "address_prefix" text;--> statement-breakpoint
ALTER TABLE "nodes" ADD COLUMN "trust_alpha" real DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "nodes" ADD COLUMN "trust_beta" real DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "nodes" ADD COLUMN "checks_passed" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "nodes" ADD COLUMN "pages_done" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "nodes" ADD COLUMN "standing" text DEFAULT 'probation' NOT NULL;--> statement-breakpoint
ALTER TABLE "nodes" ADD COLUMN "banned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "nodes" ADD COLUMN "ban_reason" text;--> statement-breakpoint
ALTER TABLE "owners" ADD COLUMN "display_name" text;--> statement-breakpoint
ALTER TABLE "owners" ADD COLUMN "banned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "owners" ADD COLUMN "ban_reason" text;--> statement-breakpoint
ALTER TABLE "points_ledger" ADD COLUMN "campaign_id" text;--> statement-breakpoint
ALTER TABLE "points_ledger" ADD COLUMN "status" text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE "points_ledger" ADD COLUMN "reverses" bigint;--> statement-breakpoint
ALTER TABLE "points_ledger" ADD COLUMN "epoch_id" integer;--> statement-breakpoint
ALTER TABLE "points_ledger" ADD COLUMN "settled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "points_ledger" ADD COLUMN "voided_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "verifications_record_idx" ON "verifications" USING btree ("record_id");--> statement-breakpoint
CREATE INDEX "verifications_state_idx" ON "verifications" USING btree ("state");--> statement-breakpoint
CREATE INDEX "points_pending_idx" ON "points_ledger" USING btree ("status","node_id");