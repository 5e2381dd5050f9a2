package dev.vigil.models.continual;

/**
 * Prequential (test-then-train) metrics of an {@link OnlineLearner}: every example is scored by the model as it was
 * before the example was trained on, so these estimate the error on unseen data without a held-out set (A. P. Dawid,
 * "Present position and potential developments: some personal views. Statistical theory: the prequential approach",
 * JRSS A 147(2), 1984; J. Gama, R. Sebastião and P. P. Rodrigues, "On evaluating stream learning algorithms", Machine
 * Learning 90(3), 2013). The cumulative values weigh the distant past as much as the present, so after drift they lag;
 * the window values cover the last {@code windowCapacity} examples only.
 *
 * @param examples examples evaluated since the start
 * @param logLoss mean log loss since the start ({@code NaN} before the first example)
 * @param accuracy fraction predicted correctly since the start ({@code NaN} before the first example)
 * @param windowSize examples in the window, {@code min(examples, windowCapacity)}
 * @param windowCapacity the window's length {@code N}
 * @param windowLogLoss mean log loss over the window
 * @param windowAccuracy accuracy over the window
 * @param windowAuroc AUROC over the window ({@link dev.vigil.models.metrics.BinaryClassificationMetrics#auroc});
 *     {@code NaN} for a multiclass model or while the window lacks a class
 */
public record PrequentialMetrics(
        long examples,
        double logLoss,
        double accuracy,
        int windowSize,
        int windowCapacity,
        double windowLogLoss,
        double windowAccuracy,
        double windowAuroc) {}
