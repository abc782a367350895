import { MessageCodec } from '../schema/message-codec.js';

// ApiVersions Request (Version: 0-2) =>
//
// ApiVersions Request (Version: 3-4) => client_software_name client_software_version _tagged_fields
//   client_software_name => COMPACT_STRING
//   client_software_version => COMPACT_STRING
//
// The body is empty in v0-2. v3 is the first flexible version and names the client software
// (KIP-511); v4 changes only the response's feature semantics (KAFKA-17011).

export interface ApiVersionsRequest {
  /** v3+ (KIP-511): who is asking, e.g. `librdkafka` `2.0.2`; '' before v3. */
  clientSoftwareName?: string;
  clientSoftwareVersion?: string;
}

export const apiVersionsRequestCodec = new MessageCodec<ApiVersionsRequest>({
  name: 'ApiVersionsRequest',
  apiKey: 18,
  versions: '0-4',
  flexibleVersions: '3+',
  fields: [
    { name: 'clientSoftwareName', type: 'string', versions: '3+' },
    { name: 'clientSoftwareVersion', type: 'string', versions: '3+' },
  ],
});

/** Kafka's rule for the v3+ software name and version (ApiVersionsRequest.isValid): letters, digits, `-` and `.`. */
const SOFTWARE_TOKEN = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

/** False when a v3+ request names its software in a way Kafka refuses with INVALID_REQUEST. */
export function hasValidClientSoftware(version: number, request: ApiVersionsRequest): boolean {
  if (version < 3) return true;
  return (
    SOFTWARE_TOKEN.test(request.clientSoftwareName ?? '') && SOFTWARE_TOKEN.test(request.clientSoftwareVersion ?? '')
  );
}
