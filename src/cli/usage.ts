/** One-line usage of each command (kept apart so `edgecut --help` loads no command). */
export const INSPECT_USAGE = 'edgecut inspect MODEL [--dim name=value]... [--json]';

export const PLAN_USAGE =
  'edgecut plan MODEL [--device rpi4|FILE] [--server gtx1080|ideal|FILE] [--network wifi|4g|3g|cat1|up=8.8,down=29.1,rtt=40|FILE] [--jobs N|MODEL:N,…] [--dim name=value]… [--json] [--report plan.html] [--trace plan.trace.json]';

export const PROFILE_USAGE =
  'edgecut profile MODEL --host [user@]host[:port] [--identity KEY] [--known-hosts FILE] [--accept-new-host-key] [--threads N] [--runs 20] [--warmup 3] [--min-seconds 2] [--load 0,1,2] [--dim name=value]… --out device.profile.json | --from-ort-profile FILE --out … | edgecut profile --kernel-grid --host … --out grid.profile.json (sampled single kernels for fit)';

export const NETPROBE_USAGE =
  'edgecut netprobe --device HOST --server HOST [--server-address ADDR] [--port 8765] [--identity KEY] [--known-hosts FILE] [--accept-new-host-key] [--out net.json]';

export const FIT_USAGE = 'edgecut fit PROFILE… [--repeats fastest|median] --out device.predictor.json';

export const SPLIT_USAGE = 'edgecut split MODEL (--cut TENSOR[,TENSOR…] | --plan plan.json) --out DIR [--dim name=value]…';

export const SERVE_USAGE = 'edgecut serve DIR [--host 127.0.0.1] [--port 8000] [--threads N] [--max-body-mb 256]';

export const BUNDLE_USAGE = 'edgecut bundle --plan plan.json --out DIR [--model FILE]… [--strategy JPS|PO|LO|CO] [--dim name=value]… [--device-threads N] [--server-threads N] [--optimization disabled|all]';

export const DEPLOY_USAGE = 'edgecut deploy --plan plan.json --device [user@]host[:port] --server [user@]host[:port] [--server-address ADDR] [--port 8000] [--jobs N] [--strategy JPS|PO|LO|CO] [--model FILE]… [--identity KEY] [--known-hosts FILE] [--accept-new-host-key] [--json]';

export const UNDEPLOY_USAGE = 'edgecut undeploy --device [user@]host[:port] --server [user@]host[:port] [--identity KEY] [--known-hosts FILE]';
