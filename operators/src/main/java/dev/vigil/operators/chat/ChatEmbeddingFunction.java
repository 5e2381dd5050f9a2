package dev.vigil.operators.chat;

import dev.vigil.operators.inference.BatchCollector;
import dev.vigil.operators.inference.BatchFunction;
import dev.vigil.operators.ingest.Ingested;
import dev.vigil.schema.chat.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The encoder step of the chat pipeline, run by {@link dev.vigil.operators.inference.MicroBatchOperator}: one
 * {@link SentenceEncoder} call per micro-batch of validated messages, plus the {@link LanguageHeuristic} per message.
 * Its version is the operator's {@code modelVersion} gauge.
 */
public final class ChatEmbeddingFunction implements BatchFunction<Ingested<ChatMessage>, EmbeddedMessage> {

    private static final long serialVersionUID = 1L;

    private transient SentenceEncoder encoder;
    private transient List<String> texts;
    private transient volatile String version;
    private transient volatile String provider;

    @Override
    public void open(Context context) throws Exception {
        encoder = SentenceEncoder.load(context.getOptions(), context.getUserCodeClassLoader());
        texts = new ArrayList<>(context.getMaxBatchSize());
        version = encoder.version();
        provider = encoder.activeProvider().name();
    }

    @Override
    public void processBatch(List<Ingested<ChatMessage>> batch, BatchCollector<EmbeddedMessage> out)
            throws Exception {
        texts.clear();
        for (Ingested<ChatMessage> m : batch) {
            texts.add(m.value.getText());
        }
        float[][] embeddings = encoder.encode(texts);
        for (int i = 0; i < batch.size(); i++) {
            Ingested<ChatMessage> r = batch.get(i);
            ChatMessage m = r.value;
            out.collect(i, new EmbeddedMessage(m.getMessageId(), m.getConversationId(), m.getSentAt().toEpochMilli(),
                    r.ingestTime, LanguageHeuristic.isForeign(m.getText()), embeddings[i], version));
        }
    }

    @Override
    public void close() throws Exception {
        if (encoder != null) {
            encoder.close();
            encoder = null;
        }
    }

    @Override
    public String modelVersion() {
        return version == null ? NONE : version;
    }

    @Override
    public String activeProvider() {
        return provider == null ? NONE : provider;
    }
}
