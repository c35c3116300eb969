CREATE TABLE "record_withdrawals" (
	"seq" bigint PRIMARY KEY DEFAULT nextval('records_seq_seq') NOT NULL,
	"record_id" text NOT NULL,
	"dataset_id" text NOT NULL,
	"reason" text NOT NULL,
	"withdrawn_at" timestamp with time zone DEFAULT now() NOT NULL,
	"txid" bigint DEFAULT txid_current() NOT NULL,
	CONSTRAINT "record_withdrawals_record_id_unique" UNIQUE("record_id")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "dataset_ids" jsonb;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "records_per_day" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "bytes_per_day" bigint;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "requests_per_minute" integer;--> statement-breakpoint
ALTER TABLE "duplicates" ADD COLUMN "provenance" jsonb;--> statement-breakpoint
ALTER TABLE "duplicates" ADD COLUMN "http_headers" jsonb;--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "provenance" jsonb;--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "http_headers" jsonb;--> statement-breakpoint
CREATE INDEX "record_withdrawals_feed_idx" ON "record_withdrawals" USING btree ("dataset_id","txid","seq");