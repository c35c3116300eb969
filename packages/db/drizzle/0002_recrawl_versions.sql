DROP INDEX "records_url_idx";--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "round" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "next_recrawl_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "round" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "urls" ADD COLUMN "round" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "urls" ADD COLUMN "etag" text;--> statement-breakpoint
ALTER TABLE "urls" ADD COLUMN "last_modified" text;--> statement-breakpoint
CREATE UNIQUE INDEX "records_url_round_idx" ON "records" USING btree ("url_id","round");