package org.voxca.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.voxca.testing.OpenApi;

/** docs/openapi.yaml documents exactly the routes voxca serves: none missing, none invented. */
class OpenApiRoutesTest {
  @Test
  void theDocumentListsEveryRouteAndNoOther() {
    Set<String> served = new TreeSet<>();
    for (Routes.Route r : Routes.all(null, null, null)) {
      served.add(r.method() + " " + r.template());
    }
    assertThat(served).hasSize(33);
    served.addAll(org.voxca.http.console.Console.API);
    assertThat(new OpenApi(Path.of("docs/openapi.yaml")).operations()).isEqualTo(served);
  }
}
