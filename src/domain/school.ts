import { Schema } from "effect"
import iran from "../../data/iran.json" with { type: "json" }

/** School year, exactly as the buttons and the stored files spell it. */
export const Grade = Schema.Literal("دهم", "یازدهم", "دوازدهم")
export type Grade = typeof Grade.Type
export const GRADES: ReadonlyArray<Grade> = Grade.literals

/** Branch of study, exactly as the buttons and the stored files spell it. */
export const Major = Schema.Literal("ریاضی", "تجربی", "انسانی", "هنر")
export type Major = typeof Major.Type
export const MAJORS: ReadonlyArray<Major> = Major.literals

// The reference data and these literals must agree; a mismatch is a packaging bug, caught at load.
if (iran.grades.join() !== GRADES.join() || iran.majors.join() !== MAJORS.join()) {
  throw new Error("data/iran.json grades or majors differ from the domain's literals")
}
