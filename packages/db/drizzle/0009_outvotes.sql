ALTER TABLE "nodes" ADD COLUMN "outvotes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "nodes" ADD COLUMN "last_outvoted_url" text;--> statement-breakpoint
ALTER TABLE "nodes" ADD COLUMN "checks_at_outvote" integer;