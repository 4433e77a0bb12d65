"""WHO Child Growth Standards (2006) z-scores for children under five, vectorised.

Pure NumPy, no Django. Follows WHO's reference implementation (R package
``anthro``, ``anthro_zscores``; method in ``growth/who/README.md``) rule for
rule, operation for operation in float64, with R's ``round(z, 2)``, so results
match WHO's software to the printed digit. That includes WHO's interpolation of
weight-for-length/height between the table rows at ``trunc(10 h) / 10`` and
``trunc(10 h + 1) / 10``: when ``10 h + 1`` rounds up to the next integer
(h = 103.1 - 0.7 = 102.39999999999999 gives 1025.0), the upper row is two
steps away and WHO interpolates towards it; so does this engine. One
deliberate difference, as the README says: a weight or length <= 0 gives no
z-score at all (``anthro`` would still derive a weight-for-length or BMI
z-score from it).

Conventions of :func:`score`:

* sex: 1 male, 2 female; any other value scores nothing.
* age in days, float; NaN (or negative) = unknown. Table look-ups use the age
  rounded half up to whole days; the 60-month and 9-month limits use the
  unrounded age in months (age / 30.4375), as ``anthro`` does.
* measure: ``MEASURE_UNKNOWN``, ``MEASURE_LYING`` ('L') or ``MEASURE_STANDING`` ('H').
* weight, length/height, MUAC: float; NaN = unknown, <= 0 or infinite = no z-score.
* z-scores are float64 rounded to 2 decimals, NaN where not computed.
* flags are int8: 1 implausible, 0 plausible, ``FLAG_NOT_COMPUTED`` (-1) where
  the z-score is NaN. ``c9mo`` is int8 0/1 (standing measurement under 9 months).
"""
from .scoring import *  # noqa: F403
from .scoring import Scored, scored, score  # noqa: F401
from .tables import *  # noqa: F403
