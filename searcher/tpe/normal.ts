/**
 * The standard normal distribution as the truncated-normal kernels need it: log CDF, the log of
 * the mass between two points, the inverse CDF and inverse-CDF sampling. Written for the tails
 * too: a kernel narrowed by many observations puts the far bound dozens of sigmas away.
 */

const LN2 = Math.log(2);
export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * log erfc(z) for z >= 0, from the Chebyshev-fitted form erfc(z) = t exp(-z^2 + P(t)),
 * t = 1 / (1 + z/2) (relative error below 1.2e-7 everywhere). Taking the log of that form
 * directly keeps it finite where erfc itself underflows (z > 27).
 */
function logErfc(z: number): number {
  const t = 1 / (1 + 0.5 * z);
  const p =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.log(t) - z * z + p;
}

/** log Phi(x). */
export function logNdtr(x: number): number {
  if (x === -Infinity) return -Infinity;
  if (x === Infinity) return 0;
  if (x < 0) return logErfc(-x / Math.SQRT2) - LN2;
  return Math.log1p(-0.5 * Math.exp(logErfc(x / Math.SQRT2)));
}

/** log(Phi(b) - Phi(a)) for a <= b; -Infinity when they are equal. */
export function logNormalMass(a: number, b: number): number {
  // Phi is accurate near 0 and in the left tail, so mirror a right-tail interval to the left.
  if (a > 0) return logNormalMass(-b, -a);
  const la = logNdtr(a);
  const lb = logNdtr(b);
  if (la >= lb) return -Infinity;
  return lb + Math.log1p(-Math.exp(la - lb));
}

// Rational approximations of the inverse normal CDF (P. J. Acklam), relative error 1.2e-9.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function tail(q: number): number {
  return (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
}

/** Phi^-1(p); -Infinity at 0 and Infinity at 1. */
export function ndtri(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p < P_LOW) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - P_LOW) return -tail(Math.sqrt(-2 * Math.log1p(-p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) / (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
}

/** A standard normal draw restricted to [a, b], by inverting the CDF at the uniform draw u. */
export function sampleStandardTruncated(a: number, b: number, u: number): number {
  if (a > 0) return -sampleStandardTruncated(-b, -a, 1 - u);
  const pa = Math.exp(logNdtr(a));
  const pb = Math.exp(logNdtr(b));
  const x = ndtri(pa + u * (pb - pa));
  return Math.min(b, Math.max(a, x));
}
