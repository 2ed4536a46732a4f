import { after } from "node:test"
import { makeMemoryDraftStore } from "../../../src/adapters/memory/memory-draft-store.ts"
import { makeMemoryStudentRepository } from "../../../src/adapters/memory/memory-student-repository.ts"
import { type OpenOptions, openFileStorage, usersDirectory } from "../../support/file-storage.ts"
import {
  draftStoreContract,
  studentDirectoryContract,
  studentRepositoryContract,
} from "../../support/storage-contracts.ts"

// The same contracts run against PostgreSQL in test/adapters/postgres/postgres-storage.test.ts.
const opened: Array<() => Promise<void>> = []
after(() => Promise.all(opened.map((close) => close())))

const files = async (options?: OpenOptions) => {
  const storage = await openFileStorage(await usersDirectory(), options)
  opened.push(storage.close)
  return storage
}

studentRepositoryContract("files", async () => (await files()).repository)
studentRepositoryContract(
  "files, cached",
  async () => (await files({ cache: { ttlSeconds: 60, maxEntries: 100 } })).repository,
)
studentDirectoryContract("files", async () => {
  const storage = await files()
  return { students: storage.repository, directory: storage.directory }
})
draftStoreContract("files", async () => (await files()).drafts)
studentRepositoryContract("memory", async () => makeMemoryStudentRepository().service)
draftStoreContract("memory", async () => makeMemoryDraftStore().service)
