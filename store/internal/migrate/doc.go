// Package migrate applies versioned SQL schema migrations.
//
// Migrations are files named NNNN_description.sql (versions 1, 2, 3, … with
// no gaps), usually embedded in the binary. Apply records each applied
// version in a schema_migrations table and runs every missing migration in
// its own transaction, so a failed migration leaves no trace and the next
// start retries it. The SQL this package runs itself is portable between
// SQLite and PostgreSQL; only the placeholder style differs.
package migrate
