// A read that fits one generation only: parseClientHello's third parameter exists from Envoy 1.23.
import { binary, emit, uprobe } from "probec";

const envoy = binary("envoy");

uprobe(envoy.fn("Envoy::Extensions::ListenerFilters::TlsInspector::Filter::parseClientHello"), (f) => {
  emit("hello", { alreadyProcessed: f.arg(2).u64() });
});
