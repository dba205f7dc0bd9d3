// The entry point of `azd up` (azure.yaml: infra.path deployment/azd). It deploys ../main.bicep the way azd expects:
// the azd environment name is the base name of every resource, the container app carries the tag
// azd-service-name: bot (so `azd deploy` finds the app to update), and AZURE_CONTAINER_REGISTRY_ENDPOINT tells azd
// where to push the image it builds from deployment/Dockerfile. Everything else keeps main.bicep's defaults; for the
// full set of settings deploy main.bicep directly (deployment/README.md).
targetScope = 'resourceGroup'

@minLength(3)
@maxLength(20)
@description('The azd environment name (AZURE_ENV_NAME): lowercase letters, digits and hyphens.')
param environmentName string

@description('Azure region (AZURE_LOCATION).')
param location string = resourceGroup().location

@description('The image azd built and pushed (SERVICE_BOT_IMAGE_NAME). Empty before the first `azd deploy`: a placeholder runs until then.')
param image string = ''

@description('Name of the Azure Container Registry azd pushes the bot image to (ACR_IMAGE_REGISTRY).')
param imageRegistryName string

@description('Resource group of that registry (ACR_IMAGE_REGISTRY_RESOURCE_GROUP); empty: this resource group.')
param imageRegistryResourceGroup string = ''

@description('Resource groups of the registries the bot manages, comma separated (ACR_REGISTRIES_RESOURCE_GROUPS).')
param registriesResourceGroups string

@description('Subscription of those registries (ACR_REGISTRIES_SUBSCRIPTION_ID); empty: this subscription.')
param registriesSubscriptionId string = ''

@secure()
@description('Slack bot token (SLACK_BOT_TOKEN); empty: Slack off.')
param slackBotToken string = ''

@secure()
@description('Slack signing secret (SLACK_SIGNING_SECRET).')
param slackSigningSecret string = ''

// The approval policy deployed with the bot: edit policy.yaml beside this file before `azd up`.
var policyYaml = loadTextContent('policy.yaml')

// The Container Apps quickstart image, only until the first `azd deploy` replaces it with the bot's image.
var placeholderImage = 'mcr.microsoft.com/k8se/quickstart:latest'

module bot '../main.bicep' = {
  name: 'acr-access-bot'
  params: {
    name: environmentName
    location: location
    tags: {
      'azd-env-name': environmentName
    }
    appTags: {
      'azd-service-name': 'bot'
    }
    image: empty(image) ? placeholderImage : image
    imageRegistryName: imageRegistryName
    imageRegistryResourceGroup: empty(imageRegistryResourceGroup) ? resourceGroup().name : imageRegistryResourceGroup
    registriesSubscriptionId: empty(registriesSubscriptionId) ? subscription().subscriptionId : registriesSubscriptionId
    registriesResourceGroups: map(split(registriesResourceGroups, ','), rg => trim(rg))
    slackBotToken: slackBotToken
    slackSigningSecret: slackSigningSecret
    policyYaml: policyYaml
  }
}

output AZURE_CONTAINER_REGISTRY_ENDPOINT string = bot.outputs.imageRegistryLoginServer
output BOT_ENDPOINT string = bot.outputs.botEndpoint
output SLACK_REQUEST_URL string = bot.outputs.slackRequestUrl
output BOT_IDENTITY_CLIENT_ID string = bot.outputs.botIdentityClientId
output BOT_TENANT_ID string = bot.outputs.tenantId
