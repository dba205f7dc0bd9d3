/**
 * The words tools print right before an image reference or a bare host, lower-case, with the separator that follows
 * them (candidates.ts reads the token after each).
 */
/** Words printed right before an image reference, lower-case, with the separator that follows them. */
export const IMAGE_KEYWORDS = [
  'image "',
  "image '",
  'image: "',
  'image=',
  'reference "',
  'docker pull ',
  'docker push ',
  'docker tag ',
  'docker run ',
  'podman pull ',
  'podman push ',
  'buildah pull ',
  'crictl pull ',
  'nerdctl pull ',
  'nerdctl push ',
  'buildah push ',
  'ctr image pull ',
  'ctr images pull ',
  'oras pull ',
  'oras push ',
  'metadata for ',
  'repository [',
  'invalid value: "',
  'canonical_name=',
  'skopeo inspect ',
  'skopeo copy ',
  'manifest for ',
  'pull access denied for ',
  'trying to pull repository ',
  'trying to pull ',
  'pull image from ',
  ' : from ',
];

/** Words printed right before a bare host. */
export const HOST_KEYWORDS = [
  "login server '",
  "registry '",
  'registry "',
  'registry: ',
  'lookup ',
  'docker login ',
  'podman login ',
  'oras login ',
  'helm registry login ',
];
