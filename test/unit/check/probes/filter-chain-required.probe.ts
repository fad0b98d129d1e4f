// A point that exists in Envoy 1.19 shapes and is gone from 1.28 on, marked required (the default).
import { binary, emit, pid, param, uprobe } from "probec";

const envoy = binary("envoy");
const envoyPid = param.int("ENVOY_PID");

uprobe(envoy.fn("Envoy::StreamInfo::StreamInfoImpl::setFilterChainName"), { when: () => pid === envoyPid }, (f) => {
  emit("filterChain", { name: f.arg(0).stringView() });
});
