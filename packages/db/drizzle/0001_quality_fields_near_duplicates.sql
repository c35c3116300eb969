ALTER TABLE "duplicates" ADD COLUMN "kind" text DEFAULT 'exact' NOT NULL;--> statement-breakpoint
ALTER TABLE "duplicates" ADD COLUMN "similarity" real;--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "quality" jsonb;--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "fields" jsonb;--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "field_errors" jsonb;