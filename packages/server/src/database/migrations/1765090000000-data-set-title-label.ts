import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A data set's title becomes a label like the flow's (a string, or one string per language),
 * stored as its JSON: every title so far is a plain string, written as a JSON string.
 */
export class DataSetTitleLabel1765090000000 implements MigrationInterface {
  name = 'DataSetTitleLabel1765090000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    await q.query(
      `UPDATE data_sets SET title = ${pg ? 'to_json(title)::text' : 'json_quote(title)'}`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    // A per-language title keeps its English text (else its JSON) as the plain title.
    await q.query(
      pg
        ? "UPDATE data_sets SET title = COALESCE(CASE json_typeof(title::json) WHEN 'string' THEN title::json #>> '{}' ELSE title::json ->> 'en' END, title)"
        : "UPDATE data_sets SET title = COALESCE(CASE json_type(title) WHEN 'text' THEN json_extract(title, '$') ELSE json_extract(title, '$.en') END, title)",
    );
  }
}
