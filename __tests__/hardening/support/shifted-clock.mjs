/**
 * Preloaded into a step's process (NODE_OPTIONS=--import) to move its wall clock by
 * HARDENING_CLOCK_OFFSET_MS. The simulator's clock is moved by the same amount, so the step and
 * the API agree on the time; what the shift buys is a fixed place in the clock hour. Fastly's write
 * window is a clock hour, and a 429 without reset headers makes the client wait for the next full
 * hour: run at HH:10, the reset is 50 minutes away (beyond any deadline); run at HH:59:54, it is a
 * few seconds away (waited out). Without the shift, which of the two happens would depend on the
 * minute the suite runs.
 */
const offset = Number(process.env.HARDENING_CLOCK_OFFSET_MS ?? '0')

if (Number.isFinite(offset) && offset !== 0) {
  const RealDate = globalThis.Date
  const realNow = RealDate.now.bind(RealDate)
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(realNow() + offset)
      else super(...args)
    }
    static now() {
      return realNow() + offset
    }
  }
  globalThis.Date = ShiftedDate
}
