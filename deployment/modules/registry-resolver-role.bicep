// Read-only custom role for resolution and diagnosis: find a registry from a pasted login server (Azure Resource
// Graph returns only what the identity can read), read its network settings and private endpoint connections, and
// name the owner of a client IP among the tenant's public IP addresses and prefixes (e.g. an AKS cluster's egress).
//
// Narrower than the built-in Reader, which would also expose every other resource's configuration (Key Vault and
// storage account settings, networks, app settings, ...). Resource Graph itself needs no action; it filters results by
// the caller's read permissions. Created once, assignable at the listed subscriptions.
targetScope = 'subscription'

@description('Name shown in the portal; must be unique in the tenant.')
param roleName string

@minLength(1)
@description('Subscription ids where the role may be assigned.')
param subscriptionIds string[]

var actions = [
  'Microsoft.ContainerRegistry/registries/read'
  'Microsoft.ContainerRegistry/registries/privateEndpointConnections/read'
  'Microsoft.Network/publicIPAddresses/read'
  'Microsoft.Network/publicIPPrefixes/read'
  'Microsoft.Resources/subscriptions/read'
]

resource resolverRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, 'acr-access-bot-registry-resolver', roleName)
  properties: {
    roleName: roleName
    description: 'acr-access-bot: read-only. Resolve container registries by login server, read their network settings and private endpoint connections, and read public IP addresses and prefixes to name the owner of a client IP.'
    type: 'CustomRole'
    permissions: [
      {
        actions: actions
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    assignableScopes: [for id in subscriptionIds: '/subscriptions/${id}']
  }
}

output roleDefinitionId string = resolverRole.id

// Role assignments in each subscription name the definition under that subscription's own path.
output roleDefinitionGuid string = resolverRole.name
