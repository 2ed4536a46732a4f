import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { BUTTONS, COMMANDS, FEATURES, MENU_ITEMS } from "../../src/application/features.ts"

describe("the features' handler tables", () => {
  it("gives each button action, command and main-menu word to exactly one feature", () => {
    const count = (names: ReadonlyArray<string>) =>
      names.reduce((counts, name) => counts.set(name, (counts.get(name) ?? 0) + 1), new Map<string, number>())
    const twice = (names: ReadonlyArray<string>) => [...count(names)].filter(([, n]) => n > 1).map(([k]) => k)
    const actions = FEATURES.flatMap((feature) => Object.keys(feature.buttons))
    const words = FEATURES.flatMap((feature) => Object.keys(feature.menu))
    assert.deepEqual(twice(actions), [])
    assert.deepEqual(twice(words), [])
    assert.deepEqual(twice(COMMANDS.map((entry) => entry.command)), [])
    assert.deepEqual(actions.sort(), Object.keys(BUTTONS).sort())
    assert.deepEqual(words.sort(), Object.keys(MENU_ITEMS).sort())
  })

  it("lists the commands in the menu's order: the student's first, then the admins'", () => {
    assert.deepEqual(
      COMMANDS.map((entry) => entry.command),
      ["start", "cancel", "courses", "mycourses", "book", "profile", "contact", "help"].concat([
        "stats",
        "export",
        "broadcast",
        "ban",
        "unban",
      ]),
    )
  })
})
