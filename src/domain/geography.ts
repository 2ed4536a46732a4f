import { Schema } from "effect"
import iran from "../../data/iran.json" with { type: "json" }
import { normalizePersian } from "./persian-text.ts"

export type ProvinceEntry = { readonly name: string; readonly cities: ReadonlyArray<string> }

/** The 31 provinces and their cities, in the order the reference file lists them. */
export const PROVINCES: ReadonlyArray<ProvinceEntry> = iran.provinces

const byName = new Map(PROVINCES.map((province) => [province.name, province]))

export const Province = Schema.String.pipe(
  Schema.filter((name) => byName.has(name), { message: () => "unknown province" }),
  Schema.brand("Province"),
)
export type Province = typeof Province.Type

export const City = Schema.String.pipe(
  Schema.filter((name) => PROVINCES.some((province) => province.cities.includes(name)), {
    message: () => "unknown city",
  }),
  Schema.brand("City"),
)
export type City = typeof City.Type

export const provinceNames: ReadonlyArray<Province> = PROVINCES.map((province) =>
  Province.make(province.name),
)

export const citiesOf = (province: Province): ReadonlyArray<City> =>
  (byName.get(province)?.cities ?? []).map((city) => City.make(city))

export const isCityOf = (province: string, city: string): boolean =>
  byName.get(province)?.cities.includes(city) ?? false

/** Finds a province by what a student typed (Arabic ي/ك and stray spaces forgiven). */
export const findProvince = (typed: string): Province | undefined => {
  const wanted = normalizePersian(typed)
  return provinceNames.find((name) => name === wanted)
}

export const findCity = (province: Province, typed: string): City | undefined => {
  const wanted = normalizePersian(typed)
  return citiesOf(province).find((name) => name === wanted)
}
