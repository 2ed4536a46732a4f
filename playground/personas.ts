import type { FakeUser } from "./emulator-types.ts"

/** Someone the person at the playground page can act as: a pretend student, or one of the admins. */
export type Persona = FakeUser & {
  readonly role: "student" | "admin"
  /** What the «share my number» button sends: Telegram's form, digits only, country code first. */
  readonly phone: string
}

/** Used as ADMIN_USER_IDS in the playground when none are configured, so the admin side can be tried. */
export const PRETEND_ADMIN_ID = 1000

const FIRST_STUDENT_ID = 7001

const studentNames: ReadonlyArray<readonly [string, string]> = [
  ["سارا", "احمدی"],
  ["علی", "رضایی"],
  ["مریم", "کریمی"],
]

/** A valid Iranian mobile derived from the id, so every persona shares a different number. */
const phoneOf = (id: number): string => `98912${String(id % 10_000_000).padStart(7, "0")}`

const student = (id: number, first_name: string, last_name: string): Persona => ({
  id,
  first_name,
  last_name,
  role: "student",
  phone: phoneOf(id),
})

/** The people of the playground: a few students to start with, the admins, and students added later. */
export const createPersonas = (adminIds: ReadonlyArray<number>) => {
  const people: Array<Persona> = [
    ...studentNames.map(([first, last], index) => student(FIRST_STUDENT_ID + index, first, last)),
    ...adminIds.map(
      (id, index): Persona => ({
        id,
        first_name: adminIds.length === 1 ? "مدیر" : `مدیر ${(index + 1).toLocaleString("fa-IR")}`,
        role: "admin",
        phone: phoneOf(id),
      }),
    ),
  ]

  return {
    all: (): ReadonlyArray<Persona> => people,
    find: (id: number): Persona | undefined => people.find((person) => person.id === id),
    /** One more pretend student, with the next free id. */
    addStudent: (): Persona => {
      const students = people.filter((person) => person.role === "student").map((person) => person.id)
      let id = Math.max(FIRST_STUDENT_ID - 1, ...students) + 1
      while (people.some((person) => person.id === id)) id += 1
      const added = student(id, "دانش‌آموز", `تازه ${(people.length + 1).toLocaleString("fa-IR")}`)
      people.push(added)
      return added
    },
  }
}

export type Personas = ReturnType<typeof createPersonas>
