package dev.vigil.operators.fairness;

/**
 * The group-fairness criteria whose significant gaps can raise an alert. Which ones matter depends on the decision:
 * when groups' base rates differ for reasons the decision should follow (older patients deteriorate more often), a
 * selection-rate gap is expected of an accurate rule; the error-rate criteria (equalized odds: Hardt, Price and
 * Srebro, "Equality of opportunity in supervised learning", NeurIPS 2016) say the rule serves a group worse, but a
 * calibrated risk score has unequal error rates whenever base rates differ, and calibration within groups then says
 * whether the score means the same risk for everyone (Kleinberg et al. 2017).
 */
public enum FairnessCriterion {
    /** Selection-rate gap (demographic parity) and the four-fifths rule on its ratio. */
    DEMOGRAPHIC_PARITY,
    /** True-positive-rate gap (equal opportunity). */
    EQUAL_OPPORTUNITY,
    /** False-positive-rate gap (with equal opportunity: equalized odds). */
    FALSE_POSITIVE_RATE,
    /**
     * Gap of calibration-in-the-large between groups (event rate minus mean score): the score under- or over-states
     * one group's risk relative to another's ({@link FairnessReport#calibrationGap()}).
     */
    CALIBRATION;

    /** Whether {@code report}'s gap of this criterion is significant. */
    public boolean significantIn(FairnessReport report) {
        switch (this) {
            case DEMOGRAPHIC_PARITY:
                return report.demographicParity().significant();
            case EQUAL_OPPORTUNITY:
                return report.equalOpportunity().significant();
            case FALSE_POSITIVE_RATE:
                return report.falsePositiveRateGap().significant();
            default:
                return report.calibrationGap().significant();
        }
    }
}
