/** References below zero stand for values JSON cannot express. */
export const enum Special {
  Undefined = -1,
  Null = -2,
  NaN = -3,
  Infinity = -4,
  NegativeInfinity = -5,
  NegativeZero = -6,
}
