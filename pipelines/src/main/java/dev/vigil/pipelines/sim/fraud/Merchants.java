package dev.vigil.pipelines.sim.fraud;

/**
 * The merchants of the simulated world: for every country and category a pool of merchants ranked by popularity
 * (Zipf, exponent {@value #ZIPF_EXPONENT}: a few chains take most of the payments, a long tail of small shops the
 * rest). Market countries have merchants in proportion to their customers; other countries a fixed small number.
 */
final class Merchants {
    static final double ZIPF_EXPONENT = 0.9;
    /** Pool size of a category in a country without customers, as a multiple of its merchants per thousand. */
    private static final double FOREIGN_SCALE = 3.0;
    private static final int MAX_POOL = 20_000;

    private final String[] ids;
    private final Category[] categories;
    private final int[] countries;
    private final int[] poolStart;
    private final int[] poolSize;
    /** Cumulative popularity of each merchant within its pool; the last of a pool is 1. */
    private final double[] cumulative;

    /** @param accounts number of customers, spread over the market countries by {@link Geography#MARKET_SHARE} */
    Merchants(int accounts) {
        int pools = Geography.COUNT * Category.COUNT;
        poolStart = new int[pools];
        poolSize = new int[pools];
        int total = 0;
        for (int c = 0; c < Geography.COUNT; c++) {
            for (Category cat : Category.ALL) {
                double scale = c < Geography.MARKETS ? accounts * Geography.MARKET_SHARE[c] / 1000.0 : FOREIGN_SCALE;
                int n = (int) Math.min(MAX_POOL, Math.max(2, Math.round(cat.merchantsPerThousand * scale)));
                int pool = pool(c, cat);
                poolStart[pool] = total;
                poolSize[pool] = n;
                total += n;
            }
        }
        ids = new String[total];
        categories = new Category[total];
        countries = new int[total];
        cumulative = new double[total];
        for (int c = 0; c < Geography.COUNT; c++) {
            for (Category cat : Category.ALL) {
                int pool = pool(c, cat);
                int start = poolStart[pool];
                int n = poolSize[pool];
                double sum = 0;
                for (int r = 0; r < n; r++) {
                    sum += Math.pow(r + 1, -ZIPF_EXPONENT);
                    cumulative[start + r] = sum;
                }
                for (int r = 0; r < n; r++) {
                    int m = start + r;
                    cumulative[m] /= sum;
                    ids[m] = Ids.merchant(m);
                    categories[m] = cat;
                    countries[m] = c;
                }
                cumulative[start + n - 1] = 1.0;
            }
        }
    }

    private static int pool(int country, Category category) {
        return country * Category.COUNT + category.ordinal();
    }

    int count() {
        return ids.length;
    }

    /** A merchant of the pool drawn by popularity; {@code u} is uniform in [0, 1). */
    int sample(int country, Category category, double u) {
        int pool = pool(country, category);
        int lo = poolStart[pool];
        int hi = lo + poolSize[pool] - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** The merchant of the given popularity rank (0 = most popular), clamped to the pool. */
    int ranked(int country, Category category, int rank) {
        int pool = pool(country, category);
        return poolStart[pool] + Math.min(Math.max(rank, 0), poolSize[pool] - 1);
    }

    int poolSize(int country, Category category) {
        return poolSize[pool(country, category)];
    }

    String id(int merchant) {
        return ids[merchant];
    }

    Category category(int merchant) {
        return categories[merchant];
    }

    int country(int merchant) {
        return countries[merchant];
    }
}
