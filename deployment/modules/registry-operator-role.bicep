// Custom role that lets the bot read a registry's network configuration and submit the whole-rule-set PATCH
// (docs/azure.md, "Least privilege"). Created once per registries subscription; assignable only at the resource groups
// that hold the registries the bot may change, never at the subscription.
//
// The action list is fixed here on purpose (not a parameter): a parameter file cannot widen it.
// No wildcards: "In a tenant without an ARM private link, don't use wildcards and specify all required registry
// actions individually" (container-registry-rbac-custom-roles).
//
// Why `registries/write` is here and what it implies: ARM authorizes PATCH registries/{name} as
// Microsoft.ContainerRegistry/registries/write, and that action cannot be narrowed to `networkRuleSet`. The same
// permission could change the SKU, the admin user, publicNetworkAccess, encryption or policies, and Azure RBAC
// conditions do not apply to these control-plane actions. What limits the bot instead: its PATCH builder sends only
// `networkRuleSet` (re-read first, IPv4 rules added or removed, every other rule kept), changes happen only after the
// approvals the policy file requires, every change is audited, and the assignment is limited to the listed resource
// groups. Pair it with Azure Policy (deny SKU/admin-user/publicNetworkAccess changes) where that matters.
targetScope = 'subscription'

@description('Name shown in the portal; must be unique in the tenant.')
param roleName string

@minLength(1)
@description('Names of the resource groups in this subscription that hold the registries the bot may change.')
param registryResourceGroups string[]

var actions = [
  'Microsoft.ContainerRegistry/registries/read'
  'Microsoft.ContainerRegistry/registries/write'
  'Microsoft.ContainerRegistry/registries/operationStatuses/read'
  'Microsoft.ContainerRegistry/locations/operationResults/read'
  'Microsoft.ContainerRegistry/registries/privateEndpointConnections/read'
]

resource operatorRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, 'acr-access-bot-registry-network-operator', roleName)
  properties: {
    roleName: roleName
    description: 'acr-access-bot: read container registries and update their firewall (networkRuleSet) through PATCH registries/{name}; poll the long-running operation; read private endpoint connections. No delete, credentials, tokens, replications or data-plane access.'
    type: 'CustomRole'
    permissions: [
      {
        actions: actions
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    assignableScopes: [for rg in registryResourceGroups: '${subscription().id}/resourceGroups/${rg}']
  }
}

output roleDefinitionId string = operatorRole.id
