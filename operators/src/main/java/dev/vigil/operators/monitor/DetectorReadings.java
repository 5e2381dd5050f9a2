package dev.vigil.operators.monitor;

import dev.vigil.operators.drift.DriftDetector;
import dev.vigil.operators.drift.JensenShannon;
import dev.vigil.operators.drift.KsTest;
import dev.vigil.operators.drift.Kswin;
import dev.vigil.operators.drift.PageHinkley;
import dev.vigil.operators.drift.Psi;
import java.util.Map;

/**
 * What a detector can tell about its last detection beyond the flag: its test statistic, p-value and the threshold
 * they were compared with, for the detectors that have them (null otherwise).
 */
final class DetectorReadings {

    private DetectorReadings() {}

    /** KS statistic D (kswin, ks), PSI (psi), Jensen-Shannon distance (jensen-shannon); otherwise null. */
    static Double statistic(DriftDetector d) {
        if (d instanceof Kswin k) {
            return k.statistic();
        }
        if (d instanceof KsTest k) {
            return k.statistic();
        }
        if (d instanceof Psi p) {
            return p.psi();
        }
        if (d instanceof JensenShannon j) {
            return j.distance();
        }
        return null;
    }

    /** The p-value of the last test (kswin, ks); otherwise null. */
    static Double pValue(DriftDetector d) {
        if (d instanceof Kswin k) {
            return k.pValue();
        }
        if (d instanceof KsTest k) {
            return k.pValue();
        }
        return null;
    }

    /**
     * What the statistic or p-value was compared with: α of kswin and ks (for the p-value), the (warning) threshold of
     * psi and jensen-shannon, λ of page-hinkley; null for detectors whose bound moves with the data.
     */
    static Double threshold(DriftDetector d, Map<String, String> parameters, boolean warning) {
        String key = null;
        if (d instanceof Kswin || d instanceof KsTest) {
            key = "alpha";
        } else if (d instanceof Psi || d instanceof JensenShannon) {
            key = warning ? "warning-threshold" : "threshold";
        } else if (d instanceof PageHinkley) {
            key = "lambda";
        }
        String v = key == null ? null : parameters.get(key);
        return v == null ? null : Double.valueOf(v);
    }
}
