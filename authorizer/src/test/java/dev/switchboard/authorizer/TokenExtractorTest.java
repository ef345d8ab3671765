package dev.switchboard.authorizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenExtractorTest {
    @Test
    void theQueryParameterWins() {
        assertThat(TokenExtractor.extract(Optional.of("from-query"), Optional.of("Bearer from-header")))
                .contains("from-query");
    }

    @Test
    void aBearerHeaderIsReadWhenThereIsNoQueryParameter() {
        assertThat(TokenExtractor.extract(Optional.empty(), Optional.of("bearer  abc.def.ghi ")))
                .contains("abc.def.ghi");
    }

    @Test
    void otherSchemesAndEmptyValuesAreNoToken() {
        assertThat(TokenExtractor.extract(Optional.of(" "), Optional.of("Basic dXNlcjpwYXNz")))
                .isEmpty();
        assertThat(TokenExtractor.extract(Optional.empty(), Optional.of("Bearer ")))
                .isEmpty();
        assertThat(TokenExtractor.extract(Optional.empty(), Optional.empty())).isEmpty();
    }
}
