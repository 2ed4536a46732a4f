import { readFileSync } from "node:fs"
import { resolve } from "node:path"

/**
 * The Dockerfile as data, for what runs the image without Docker: the container test (which lays the image
 * out and runs its CMD with its ENV) and the bench (which runs our bot as the image runs it).
 */

export type Instruction = { readonly name: string; readonly args: string }
export type Stage = {
  readonly name: string
  readonly base: string
  readonly instructions: ReadonlyArray<Instruction>
}

/** The instructions, continuation lines joined, comments and blank lines left out. */
export const parseDockerfile = (text: string): ReadonlyArray<Instruction> =>
  text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const [name = "", ...rest] = line.split(/\s+/)
      return { name: name.toUpperCase(), args: rest.join(" ") }
    })

/** The project's Dockerfile. */
export const readDockerfile = (): ReadonlyArray<Instruction> =>
  parseDockerfile(readFileSync(resolve(import.meta.dirname, "..", "Dockerfile"), "utf8"))

/** The stages of a multi-stage Dockerfile: each FROM starts one, `FROM image AS name` names it. */
export const stagesOf = (instructions: ReadonlyArray<Instruction>): ReadonlyArray<Stage> => {
  const stages: Array<{ name: string; base: string; instructions: Array<Instruction> }> = []
  for (const instruction of instructions) {
    if (instruction.name === "FROM") {
      const [base = "", , name = ""] = instruction.args.split(/\s+/)
      stages.push({ name, base, instructions: [] })
    } else stages.at(-1)?.instructions.push(instruction)
  }
  return stages
}

/** The arguments of every `name` instruction, in order. */
export const all = (instructions: ReadonlyArray<Instruction>, name: string): ReadonlyArray<string> =>
  instructions.filter((instruction) => instruction.name === name).map((instruction) => instruction.args)

/** The arguments of the last `name` instruction (the one Docker uses for CMD, USER, WORKDIR…); "" if none. */
export const last = (instructions: ReadonlyArray<Instruction>, name: string): string =>
  all(instructions, name).at(-1) ?? ""

/** ENV KEY=value pairs (quotes allowed), in order. */
export const envOf = (instructions: ReadonlyArray<Instruction>): Record<string, string> =>
  Object.fromEntries(
    all(instructions, "ENV").flatMap((args) =>
      [...args.matchAll(/(\w+)=("[^"]*"|\S*)/g)].map(([, key = "", value = ""]) => [
        key,
        value.replace(/^"|"$/g, ""),
      ]),
    ),
  )

/** An exec-form command (`CMD ["node", …]`, also after HEALTHCHECK's options) as its argv. */
export const execForm = (args: string): Array<string> => {
  const json = /\[.*\]\s*$/.exec(args)?.[0]
  if (json === undefined) throw new Error(`exec form (a JSON array) expected in: ${args}`)
  return JSON.parse(json) as Array<string>
}

/** The final stage's instructions: the image that runs. */
export const imageInstructions = (): ReadonlyArray<Instruction> => {
  const final = stagesOf(readDockerfile()).at(-1)
  if (final === undefined) throw new Error("the Dockerfile has no FROM")
  return final.instructions
}
