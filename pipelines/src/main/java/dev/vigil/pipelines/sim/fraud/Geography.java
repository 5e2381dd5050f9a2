package dev.vigil.pipelines.sim.fraud;

import java.util.SplittableRandom;

/**
 * Countries of the simulated world (ISO 3166-1 alpha-2), by index. The bank is a pan-European card issuer with
 * customers in four market countries; its customers travel, shop across the border and online, and fraud is cashed
 * out in countries they also visit, so a foreign country alone never proves fraud.
 */
final class Geography {
    static final String[] CODES = {
        "NL", "BE", "DE", "FR", // market countries: where customers live and cards are issued
        "ES", "IT", "PT", "GR", "AT", "GB", "US", "TR", "HR", "TH", "MX", "CH", "IE", "LU", "CN", "RO", "BR", "UA",
        "PL", "DK", "CZ", "ZA", "MY"
    };
    static final int COUNT = CODES.length;
    static final int MARKETS = 4;

    /** Share of customers per market country. */
    static final double[] MARKET_SHARE = {0.50, 0.20, 0.18, 0.12};

    /** Neighbours of each market country, where customers of the BORDER region also shop in person. */
    private static final int[][] NEIGHBOURS = {
        {idx("BE"), idx("DE")},
        {idx("NL"), idx("FR"), idx("DE"), idx("LU")},
        {idx("NL"), idx("BE"), idx("FR"), idx("AT"), idx("CH"), idx("DK"), idx("PL"), idx("CZ"), idx("LU")},
        {idx("BE"), idx("DE"), idx("ES"), idx("IT"), idx("CH"), idx("LU")}
    };

    /** Holiday destinations and their weights. */
    private static final int[] TRAVEL = {
        idx("ES"), idx("IT"), idx("FR"), idx("DE"), idx("GB"), idx("PT"), idx("GR"), idx("AT"), idx("US"), idx("TR"),
        idx("HR"), idx("TH"), idx("MX"), idx("CH"), idx("BE"), idx("NL")
    };

    private static final double[] TRAVEL_WEIGHT = {
        0.20, 0.14, 0.10, 0.06, 0.08, 0.07, 0.07, 0.05, 0.07, 0.05, 0.04, 0.03, 0.02, 0.03, 0.03, 0.03
    };

    /** Where large web shops, streaming services and platforms are incorporated. */
    private static final int[] ONLINE_HUBS = {
        idx("IE"), idx("LU"), idx("NL"), idx("DE"), idx("GB"), idx("US"), idx("CN")
    };

    private static final double[] ONLINE_HUB_WEIGHT = {0.30, 0.15, 0.15, 0.10, 0.10, 0.15, 0.05};

    /** Where stolen cards and credentials are used (overlapping with holiday destinations on purpose). */
    private static final int[] FRAUD_ORIGINS = {
        idx("US"), idx("GB"), idx("RO"), idx("BR"), idx("TH"), idx("MX"), idx("TR"), idx("UA"), idx("ZA"), idx("MY"),
        idx("ES"), idx("CN")
    };

    private static final double[] FRAUD_ORIGIN_WEIGHT = {
        0.16, 0.13, 0.11, 0.09, 0.08, 0.07, 0.08, 0.07, 0.05, 0.05, 0.06, 0.05
    };

    private Geography() {}

    static int idx(String code) {
        for (int i = 0; i < CODES.length; i++) {
            if (CODES[i].equals(code)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown country " + code);
    }

    static int market(SplittableRandom rng) {
        return pick(rng, null, MARKET_SHARE);
    }

    static int marketOtherThan(SplittableRandom rng, int country) {
        int c;
        do {
            c = rng.nextInt(MARKETS);
        } while (c == country);
        return c;
    }

    static int neighbour(SplittableRandom rng, int market) {
        int[] n = NEIGHBOURS[market];
        return n[rng.nextInt(n.length)];
    }

    static int travelDestination(SplittableRandom rng, int home) {
        int c;
        do {
            c = pick(rng, TRAVEL, TRAVEL_WEIGHT);
        } while (c == home);
        return c;
    }

    static int onlineHub(SplittableRandom rng) {
        return pick(rng, ONLINE_HUBS, ONLINE_HUB_WEIGHT);
    }

    static int fraudOrigin(SplittableRandom rng, int home) {
        int c;
        do {
            c = pick(rng, FRAUD_ORIGINS, FRAUD_ORIGIN_WEIGHT);
        } while (c == home);
        return c;
    }

    private static int pick(SplittableRandom rng, int[] values, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double u = rng.nextDouble() * total;
        for (int i = 0; i < weights.length - 1; i++) {
            u -= weights[i];
            if (u < 0) {
                return values == null ? i : values[i];
            }
        }
        return values == null ? weights.length - 1 : values[weights.length - 1];
    }
}
