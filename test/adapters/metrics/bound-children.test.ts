import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { bindOne, bindPairs } from "../../../src/adapters/metrics/bound-children.ts"

describe("bound metric children", () => {
  it("binds each pair of label values once, passes each observation on, and counts them by pair", () => {
    const bound: Array<string> = []
    const observed: Array<string> = []
    const pairs = bindPairs((first, second) => {
      bound.push(`${first}/${second}`)
      return { observe: (value) => observed.push(`${first}/${second}=${value}`) }
    })
    pairs.observe("sendMessage", "ok", 0.1)
    pairs.observe("sendMessage", "ok", 0.2)
    pairs.observe("sendMessage", "error_403", 0.3)
    pairs.observe("getUpdates", "ok", 25)
    assert.deepEqual(
      bound,
      ["sendMessage/ok", "sendMessage/error_403", "getUpdates/ok"],
      "one binding a pair",
    )
    assert.deepEqual(observed, [
      "sendMessage/ok=0.1",
      "sendMessage/ok=0.2",
      "sendMessage/error_403=0.3",
      "getUpdates/ok=25",
    ])
    assert.deepEqual(
      [...pairs.counts()],
      [
        ["sendMessage", "ok", 2],
        ["sendMessage", "error_403", 1],
        ["getUpdates", "ok", 1],
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
