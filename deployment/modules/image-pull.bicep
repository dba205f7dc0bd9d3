// AcrPull for the container app's own image, on that one registry only (not its resource group). This is the
// registry the bot's image is pulled from; it has nothing to do with the registries the bot manages, and the
// identity that gets it is a separate pull-only identity that the app's code cannot use (identitySettings
// lifecycle None in main.bicep).
targetScope = 'resourceGroup'

@description('Name of the Azure Container Registry that holds the bot image.')
param registryName string

@description('Object (principal) id of the pull identity.')
param principalId string

// Built-in AcrPull: Microsoft.ContainerRegistry/registries/pull/read.
var acrPullRoleId = '7f951dda-4ed3-4680-a7ca-43fe172d538d'

resource imageRegistry 'Microsoft.ContainerRegistry/registries@2025-11-01' existing = {
  name: registryName
}

resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(imageRegistry.id, principalId, acrPullRoleId)
  scope: imageRegistry
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRoleId)
    description: 'acr-access-bot: pull the bot image (Container Apps platform only).'
  }
}

// The real login server (also right for registries with a domain name label hash or in a sovereign cloud).
output loginServer string = imageRegistry.properties.loginServer
