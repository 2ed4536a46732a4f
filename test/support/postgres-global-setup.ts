import { type PostgresServer, startPostgresServer } from "./postgres-server.ts"

// node --test --test-global-setup: one throwaway PostgreSQL server for every test file of the run.
// The test processes inherit TEST_POSTGRES_URL and create their own databases on it.
let server: PostgresServer | undefined

export async function globalSetup() {
  server = await startPostgresServer()
  process.env.TEST_POSTGRES_URL = server.url
}

export async function globalTeardown() {
  await server?.stop()
}
