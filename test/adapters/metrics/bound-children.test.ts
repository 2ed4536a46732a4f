import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { bindOne, bindPairs } from "../../../src/adapters/metrics/bound-children.ts"

describe("bound metric children", () => {
  it("binds each pair of label values once, and lists every pair with its count", () => {
    const bound: Array<string> = []
    const pairs = bindPairs((first, second) => {
      bound.push(`${first}/${second}`)
      return { first, second }
    })
    const ok = pairs.get("sendMessage", "ok")
    ok.count++
    assert.equal(pairs.get("sendMessage", "ok"), ok, "the same child, not a new binding")
    pairs.get("sendMessage", "ok").count++
    pairs.get("sendMessage", "error_403").count++
    pairs.get("getUpdates", "ok")
    assert.deepEqual(bound, ["sendMessage/ok", "sendMessage/error_403", "getUpdates/ok"])
    assert.deepEqual(
      [...pairs.all()].map(({ values, count }) => [...values, count]),
      [
        ["sendMessage", "ok", 2],
        ["sendMessage", "error_403", 1],
        ["getUpdates", "ok", 0],
      ],
    )
  })

  it("binds each single label value once", () => {
    let bindings = 0
    const byKind = bindOne((kind) => {
      bindings++
      return { kind }
    })
    assert.equal(byKind("Text"), byKind("Text"))
    assert.notEqual(byKind("Text"), byKind("Button"))
    assert.equal(bindings, 2)
  })
})
