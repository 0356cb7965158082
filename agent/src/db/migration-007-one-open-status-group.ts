import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * One open status group per issuer and list format. Concurrent first issuances each opened a group
 * of their own (read, then insert), leaving lists that held one credential each: more lists to
 * fetch, and a list of one tells its reader about that one credential (no herd). Extra open groups
 * are closed (keeping the oldest open; what they hold stays valid and published), then a partial
 * unique index makes a second open group impossible.
 */
export class OneOpenStatusGroup1732300000007 implements MigrationInterface {
  name = 'OneOpenStatusGroup1732300000007'

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE clavis_status_group SET "full" = TRUE
        WHERE "full" = FALSE AND EXISTS (
          SELECT 1 FROM clavis_status_group older
           WHERE older.organisation_id = clavis_status_group.organisation_id
             AND older.issuer_did = clavis_status_group.issuer_did
             AND older.format = clavis_status_group.format
             AND older."full" = FALSE
             AND (older.created_at < clavis_status_group.created_at
                  OR (older.created_at = clavis_status_group.created_at AND older.id < clavis_status_group.id)))`,
    )
    await q.query(
      'CREATE UNIQUE INDEX uq_status_group_open ON clavis_status_group (organisation_id, issuer_did, format) WHERE "full" = FALSE',
    )
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX uq_status_group_open')
  }
}
