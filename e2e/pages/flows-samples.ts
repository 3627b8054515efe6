// Small flows the flows specs write into the console's user flows folder.

export const LOCAL_FLOW = `id: local-demo
title: Local demo
description: Three steps on the console's own machine.
inputs:
  target:
    type: host-pattern
    title: Hosts
  ticks:
    type: number
    title: Ticks
    default: 3
steps:
  - id: prepare
    title: Prepare
    kind: exec
    on: \${inputs.target}
    say: First we check that every host answers.
    with:
      argv: [echo, preparing]
  - id: count
    title: Count ticks
    kind: exec
    on: \${inputs.target}
    needs: prepare
    say: Each host counts; the log streams as it goes.
    with:
      script: 'for i in $(seq 1 \${inputs.ticks}); do echo "tick $i"; sleep 0.2; done'
  - id: wrap
    title: Wrap up
    kind: note
    needs: count
    say: That is all — every host answered and counted.
    with:
      text: Done.
`;

export const CONFIRM_FLOW = `id: confirm-demo
title: Confirm demo
steps:
  - id: hello
    title: Say hello
    kind: exec
    on: localhost
    with:
      argv: [echo, hello]
  - id: cabling
    title: Check the cabling
    kind: confirm
    needs: hello
    with:
      prompt: Are both uplinks plugged into the lab switch?
  - id: wait
    title: Long wait
    kind: exec
    on: localhost
    needs: cabling
    with:
      argv: [sleep, '120']
`;

export const SLOW_FLOW = `id: slow
title: Slow flow
inputs:
  token:
    type: secret
    title: Token
    required: false
steps:
  - id: first
    title: First
    kind: exec
    on: localhost
    with:
      argv: [echo, first]
  - id: wait
    title: Wait a while
    kind: exec
    on: localhost
    needs: first
    with:
      argv: [sleep, '300']
  - id: last
    title: Last
    kind: exec
    on: localhost
    needs: wait
    with:
      argv: [echo, last]
`;
