import { Layer } from "effect"
import { makeMemoryRecords } from "../../../src/adapters/memory/memory-records.ts"
import { FileRecords } from "../../../src/adapters/files/file-records.ts"
import { temporaryDirectory } from "../../support/bot-process.ts"
import { recordStoreContract } from "../../support/record-store-contract.ts"

recordStoreContract("memory", async () => makeMemoryRecords().layer)
recordStoreContract("journal files", async () =>
  FileRecords(await temporaryDirectory("records-")).pipe(Layer.fresh),
)
