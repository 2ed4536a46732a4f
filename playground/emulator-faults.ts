import { ApiError } from "./emulator-params.ts"
import type { Fault } from "./emulator-types.ts"

/** Faults waiting for calls, served oldest first to the calls they match. */
export const createFaultQueue = () => {
  const queue: Array<{ readonly fault: Fault; remaining: number }> = []

  return {
    inject: (fault: Fault) => {
      queue.push({ fault, remaining: Math.max(1, fault.times ?? 1) })
    },

    /** Removes and returns the fault the next call to `method` suffers, if any. */
    take: (method: string): Fault | undefined => {
      const index = queue.findIndex(
        ({ fault }) => fault.method === undefined || fault.method.toLowerCase() === method.toLowerCase(),
      )
      const entry = queue[index]
      if (entry === undefined) return undefined
      entry.remaining--
      if (entry.remaining === 0) queue.splice(index, 1)
      return entry.fault
    },

    size: (): number => queue.reduce((total, entry) => total + entry.remaining, 0),

    clear: () => {
      queue.length = 0
    },
  }
}

/** The refusal a fault stands for; undefined for faults that act on the connection (reset, delay). */
export const faultError = (fault: Fault): ApiError | undefined => {
  switch (fault.kind) {
    case "400":
      return new ApiError(400, `Bad Request: ${fault.description ?? "bad request"}`)
    case "403":
      return new ApiError(403, `Forbidden: ${fault.description ?? "bot was blocked by the user"}`)
    case "429":
      return new ApiError(429, `Too Many Requests: retry after ${fault.retryAfter}`, fault.retryAfter)
    case "500":
      return new ApiError(500, "Internal Server Error")
    case "502":
      return new ApiError(502, "Bad Gateway")
    case "401":
      return new ApiError(401, "Unauthorized")
    case "409":
      return new ApiError(409, "Conflict: terminated by other getUpdates request")
    default:
      return undefined
  }
}
