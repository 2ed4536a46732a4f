import { rename } from "node:fs/promises"
import { join } from "node:path"
import { Context, Effect, Layer } from "effect"
import { attempt } from "../../application/ports/storage-error.ts"
import { ensurePrivateDirectory, removeLeftoverTemporaries, syncDirectory } from "./atomic-write.ts"
import { type DirectoryLockOptions, holdDirectory } from "./directory-lock.ts"

/**
 * USERS_DIR, opened for this process alone: private (0700) and locked against a second bot process.
 * Temporary files a crash left are removed from the given subdirectories here, and from USERS_DIR by
 * the student store's start-up scan (which lists it anyway: 100 000 names take a while).
 */
export class UsersDirectory extends Context.Tag("UsersDirectory")<
  UsersDirectory,
  { readonly path: string }
>() {}

/** Opens `path` (and each of `subdirectories`) as described on UsersDirectory. */
export const openUsersDirectory = (
  path: string,
  options: DirectoryLockOptions & { readonly subdirectories?: ReadonlyArray<string> } = {},
) =>
  Effect.gen(function* () {
    yield* attempt("open", () => ensurePrivateDirectory(path))
    yield* holdDirectory(path, options)
    yield* attempt("open", async () => {
      for (const sub of options.subdirectories ?? []) {
        await ensurePrivateDirectory(join(path, sub))
        await removeLeftoverTemporaries(join(path, sub))
      }
    })
    return UsersDirectory.of({ path })
  })

export const UsersDirectoryLive = (
  path: string,
  options: DirectoryLockOptions & { readonly subdirectories?: ReadonlyArray<string> } = {},
) => Layer.scoped(UsersDirectory, openUsersDirectory(path, options))

/**
 * Moves a damaged file aside as `<name>.<errorId>.corrupt` (kept for a person to look at, never read
 * again) and makes the move durable.
 */
export const quarantine = async (path: string, errorId: string): Promise<string> => {
  const aside = `${path}.${errorId}.corrupt`
  await rename(path, aside)
  await syncDirectory(join(path, ".."))
  return aside
}
