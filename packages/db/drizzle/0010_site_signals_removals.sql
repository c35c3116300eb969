CREATE TABLE "site_removals" (
	"id" text PRIMARY KEY NOT NULL,
	"host" text NOT NULL,
	"token" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_checked_at" timestamp with time zone,
	"last_error" text,
	"verified_at" timestamp with time zone,
	"withdrawn" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "site_signals" jsonb;--> statement-breakpoint
CREATE INDEX "site_removals_host_idx" ON "site_removals" USING btree ("host");--> statement-breakpoint
CREATE INDEX "site_removals_verified_idx" ON "site_removals" USING btree ("host") WHERE "site_removals"."state" = 'verified';--> statement-breakpoint
CREATE INDEX "records_host_idx" ON "records" USING btree ("host");