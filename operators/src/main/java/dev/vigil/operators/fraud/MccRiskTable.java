package dev.vigil.operators.fraud;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A static risk prior per merchant category code (ISO 18245 MCC), in {@code [0, 1]}: the {@code mcc_risk} feature.
 * MCCs not in the table get the table's default.
 *
 * <p><b>Default table</b> ({@link #visaIntegrityRisk()}): the High-Integrity Risk MCCs of the Visa Integrity Risk
 * Program (VIRP, effective 1 May 2023, which replaced the Global Brand Protection Program), scored by tier — Tier 1
 * (highest risk: 5967 inbound teleservices, 7273 dating, 7995 betting, 5122 and 5912 drugs and pharmacies) 1.0; Tier 2
 * (6051 quasi-cash and crypto, 6012 financial institutions, 4816 cyberlockers, 5816 digital games) 2/3; Tier 3 (6211
 * trading platforms, 5966 outbound telemarketing, 5968 subscription merchants, 5993 tobacco) 1/3; everything else 0.
 * These are the categories card networks police for fraud, chargebacks and illegal sales; the score is an ordinal
 * prior, not a fraud rate. A deployment with labelled history should replace it with smoothed per-MCC fraud rates
 * ({@code vigil.fraud.features.mcc-risk}).
 *
 * <p>Immutable; lookups are a binary search over a sorted {@code int[]} (no boxing on the per-record path).
 */
public final class MccRiskTable implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final float TIER_1 = 1f;
    private static final float TIER_2 = 2f / 3f;
    private static final float TIER_3 = 1f / 3f;

    private static final MccRiskTable VISA_INTEGRITY_RISK =
            new MccRiskTable(
                    Map.ofEntries(
                            Map.entry(5967, TIER_1),
                            Map.entry(7273, TIER_1),
                            Map.entry(7995, TIER_1),
                            Map.entry(5122, TIER_1),
                            Map.entry(5912, TIER_1),
                            Map.entry(6051, TIER_2),
                            Map.entry(6012, TIER_2),
                            Map.entry(4816, TIER_2),
                            Map.entry(5816, TIER_2),
                            Map.entry(6211, TIER_3),
                            Map.entry(5966, TIER_3),
                            Map.entry(5968, TIER_3),
                            Map.entry(5993, TIER_3)),
                    0f);

    private final int[] codes;
    private final float[] risks;
    private final float defaultRisk;

    /**
     * @param risks risk per MCC, each MCC in {@code [0, 9999]} and each risk in {@code [0, 1]}
     * @param defaultRisk the risk of an MCC not in {@code risks}, in {@code [0, 1]}
     */
    public MccRiskTable(Map<Integer, Float> risks, float defaultRisk) {
        Objects.requireNonNull(risks, "risks");
        checkRisk(defaultRisk, "default");
        TreeMap<Integer, Float> sorted = new TreeMap<>(risks);
        this.codes = new int[sorted.size()];
        this.risks = new float[sorted.size()];
        int i = 0;
        for (Map.Entry<Integer, Float> e : sorted.entrySet()) {
            int mcc = Objects.requireNonNull(e.getKey(), "mcc");
            if (mcc < 0 || mcc > 9999) {
                throw new IllegalArgumentException("MCC must be in [0, 9999]: " + mcc);
            }
            float risk = Objects.requireNonNull(e.getValue(), "risk");
            checkRisk(risk, Integer.toString(mcc));
            codes[i] = mcc;
            this.risks[i] = risk;
            i++;
        }
        this.defaultRisk = defaultRisk;
    }

    /** The default table: Visa Integrity Risk Program tiers (see the class comment). */
    public static MccRiskTable visaIntegrityRisk() {
        return VISA_INTEGRITY_RISK;
    }

    /** The risk of {@code mcc}. */
    public float risk(int mcc) {
        int i = Arrays.binarySearch(codes, mcc);
        return i >= 0 ? risks[i] : defaultRisk;
    }

    public float defaultRisk() {
        return defaultRisk;
    }

    /** The table's entries, sorted by MCC. */
    public Map<Integer, Float> entries() {
        TreeMap<Integer, Float> m = new TreeMap<>();
        for (int i = 0; i < codes.length; i++) {
            m.put(codes[i], risks[i]);
        }
        return m;
    }

    private static void checkRisk(float risk, String what) {
        if (!(risk >= 0f && risk <= 1f)) {
            throw new IllegalArgumentException("MCC risk of " + what + " must be in [0, 1]: " + risk);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MccRiskTable)) {
            return false;
        }
        MccRiskTable other = (MccRiskTable) o;
        return Arrays.equals(codes, other.codes)
                && Arrays.equals(risks, other.risks)
                && Float.compare(defaultRisk, other.defaultRisk) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(codes) + Arrays.hashCode(risks)) + Float.hashCode(defaultRisk);
    }

    @Override
    public String toString() {
        return "MccRiskTable[entries=" + codes.length + ", default=" + defaultRisk + "]";
    }
}
