import assert from "node:assert/strict"
import { describe, it } from "node:test"
import {
  citiesOf,
  findCity,
  findProvince,
  isCityOf,
  PROVINCES,
  provinceNames,
} from "../../src/domain/geography.ts"
import { GRADES, MAJORS } from "../../src/domain/school.ts"

describe("reference data", () => {
  it("has 31 provinces and 310 cities", () => {
    assert.equal(PROVINCES.length, 31)
    assert.equal(
      PROVINCES.reduce((sum, province) => sum + province.cities.length, 0),
      310,
    )
  })

  it("spells grades and majors exactly as the buttons do", () => {
    assert.deepEqual(GRADES, ["دهم", "یازدهم", "دوازدهم"])
    assert.deepEqual(MAJORS, ["ریاضی", "تجربی", "انسانی", "هنر"])
  })

  it("keeps a city inside its province", () => {
    const tehran = findProvince("تهران")
    assert.ok(tehran)
    assert.ok(citiesOf(tehran).length > 0)
    assert.ok(isCityOf("تهران", "تهران"))
    assert.ok(!isCityOf("تهران", "تبریز"))
    assert.equal(findCity(tehran, "تبریز"), undefined)
  })

  it("forgives Arabic letters and stray spaces in typed names", () => {
    const province = provinceNames.find((name) => name.includes("ک"))
    assert.ok(province)
    assert.equal(findProvince(` ${province.replace(/ک/g, "ك")} `), province)
  })
})
