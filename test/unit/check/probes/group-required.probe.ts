// An `.orElse` group whose members are all required and none of which exists anywhere.
import { binary, emit, uprobe } from "probec";

const envoy = binary("envoy");

uprobe(envoy.fn("Envoy::Nowhere::Gone::first"), () => emit("a", {})).orElse(envoy.fn("Envoy::Nowhere::Gone::second"), () => emit("b", {}));
uprobe(envoy.fn("Envoy::Network::TcpListenerImpl::onSocketEvent"), () => emit("c", {}));
