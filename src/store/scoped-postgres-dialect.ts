import {
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type Kysely,
  PostgresDialect,
  type PostgresDialectConfig,
  type SchemaMetadata,
  sql,
  type TableMetadata,
} from 'kysely';

/**
 * PostgreSQL as kysely speaks it, except that introspection sees one schema.
 * kysely's migrator asks the introspector whether its bookkeeping tables
 * exist, and the stock introspector reads every column of every table in the
 * database through functions (`pg_get_serial_sequence`) that fail with
 * "relation does not exist" when another session drops a table meanwhile —
 * an application's own migrations, another tenant's schema. Listing the
 * store's schema from the catalog alone cannot fail that way, and is all the
 * migrator needs.
 */
export class ScopedPostgresDialect extends PostgresDialect {
  readonly #schema: string;

  constructor(config: PostgresDialectConfig, schema: string) {
    super(config);
    this.#schema = schema;
  }

  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SchemaIntrospector(db, this.#schema);
  }
}

class SchemaIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<unknown>;
  readonly #schema: string;

  constructor(db: Kysely<unknown>, schema: string) {
    this.#db = db;
    this.#schema = schema;
  }

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`
      select nspname as name from pg_catalog.pg_namespace where nspname = ${this.#schema}
    `.execute(this.#db);
    return rows;
  }

  /** Tables and views of the schema, without their columns: the migrator only asks for names. */
  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; kind: string }>`
      select c.relname as name, c.relkind as kind
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${this.#schema} and c.relkind in ('r', 'p', 'v')
      order by c.relname
    `.execute(this.#db);
    return rows.map((row) => ({ name: row.name, schema: this.#schema, isView: row.kind === 'v', columns: [] }));
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}
