package dev.vigil.operators.drift.calibration;

import java.util.List;

/**
 * The outcome of {@link ErtCalibrator#calibrate()}: the value of the calibrated parameter, the full settings to create
 * the detector with, and the expected run length measured at that value.
 *
 * @param parameter the calibrated parameter
 * @param value its calibrated value
 * @param params the detector's full {@code key=value} settings, the calibrated value included (pass to {@code
 *     DriftDetectors.create(detector, params)})
 * @param targetErt the target expected run length
 * @param estimate the ERT measured at {@code value} on the calibration runs
 * @param status how the search ended
 * @param evaluations parameter values simulated
 * @param observations detector updates simulated in total (the cost)
 */
public record Calibration(ThresholdParameter parameter, double value, List<String> params, double targetErt,
        ErtEstimate estimate, Status status, int evaluations, long observations) {

    /** How the search ended. */
    public enum Status {
        /** The estimated ERT is within the tolerance of the target. */
        CONVERGED,
        /**
         * The ERT jumps across the target between two values closer than the search resolution (detectors with
         * discrete statistics, e.g. KS p-values of small samples); the value on the side of fewer false alarms is
         * returned.
         */
        STEP,
        /** The evaluation budget ran out; the bracket's end with fewer false alarms is returned. */
        BUDGET_EXHAUSTED,
        /** The target lies outside what the search range can reach; the range's end nearest to it is returned. */
        OUT_OF_RANGE
    }

    public Calibration {
        params = List.copyOf(params);
    }

    /** The detector's registry name. */
    public String detector() {
        return parameter.detector();
    }

    /** Whether the measured ERT is within the tolerance of the target or as close as the detector allows. */
    public boolean reached() {
        return status == Status.CONVERGED || status == Status.STEP;
    }
}
