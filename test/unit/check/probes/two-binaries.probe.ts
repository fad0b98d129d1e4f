// Two binaries: a point of one is 'not this binary' in the other's columns.
import { binary, emit, uprobe } from "probec";

const envoy = binary("envoy");
const other = binary("other");

uprobe(envoy.fn("Envoy::Network::TcpListenerImpl::onSocketEvent"), () => emit("a", {}));
uprobe(other.fn("Envoy::Network::ConnectionImpl::readDisable(bool)", { optional: true }), () => emit("b", {}));
