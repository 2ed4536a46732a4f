/**
 * Who wrote to the bot lately: the last time each student was seen, for "distinct active students in
 * the last 5 minutes / hour". Memory stays bounded: students not seen for `horizonMs` are forgotten.
 */
export const makeActiveStudents = (horizonMs = 60 * 60 * 1000) => {
  // Insertion order is kept oldest-seen first (a student is moved to the end when seen again), so
  // forgetting stops at the first student who is still recent.
  const lastSeen = new Map<number, number>()
  let sinceForget = 0

  const forget = (now: number) => {
    for (const [student, at] of lastSeen) {
      if (now - at < horizonMs) break
      lastSeen.delete(student)
    }
  }

  return {
    seen: (student: number, now: number) => {
      lastSeen.delete(student)
      lastSeen.set(student, now)
      sinceForget += 1
      if (sinceForget >= 1000) {
        sinceForget = 0
        forget(now)
      }
    },
    /** Distinct students seen within `windowMs` before `now` (windowMs at most the horizon). */
    count: (windowMs: number, now: number): number => {
      forget(now)
      let count = 0
      for (const at of lastSeen.values()) if (now - at < windowMs) count += 1
      return count
    },
    /** Students currently remembered (at most those seen within the horizon, plus the last 1000). */
    size: () => lastSeen.size,
  }
}

export type ActiveStudents = ReturnType<typeof makeActiveStudents>
