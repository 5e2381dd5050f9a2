package dev.vigil.operators.fraud.label;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** Options of the fraud label join ({@code vigil.fraud.label.*}). */
public final class FraudLabelOptions {

    public static final ConfigOption<Duration> MATURITY =
            ConfigOptions.key("vigil.fraud.label.maturity")
                    .durationType()
                    .defaultValue(Duration.ofDays(90))
                    .withDescription("Label maturity: a transaction that has no fraud label (FRAUD chargeback or"
                            + " investigator verdict) by its event time plus this much event time becomes a"
                            + " negative example (label source MATURITY), unless it was declined. Set it to the"
                            + " chargeback window of the card scheme (Visa and Mastercard allow about 120 days, most"
                            + " fraud chargebacks arrive within 60); shorter means faster but noisier negatives."
                            + " Compressed in tests and the demo. Labels arriving later are dead-lettered as"
                            + " LABEL_AFTER_MATURITY.");

    private FraudLabelOptions() {}

    /** {@link #MATURITY}, checked to be positive. */
    public static Duration maturity(ReadableConfig config) {
        Duration maturity = config.get(MATURITY);
        if (maturity.isNegative() || maturity.isZero()) {
            throw new IllegalArgumentException(MATURITY.key() + " must be positive: " + maturity);
        }
        return maturity;
    }
}
