/** 6037990000000000 → "6037 9900 0000 0000": easy to read aloud and to copy into a banking app. */
export const groupCardNumber = (digits: string): string =>
  digits.replace(/\D/g, "").replace(/(\d{4})(?=\d)/g, "$1 ")
