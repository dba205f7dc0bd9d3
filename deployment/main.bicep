// acr-access-bot on Azure Container Apps, with an Azure Bot (Teams channel) and least-privilege access to the
// registries it manages. Deploy to the bot's own resource group:
//
//   az deployment group create -g <bot-rg> -f deployment/main.bicep -p @deployment/main.parameters.json -p ...secrets
//
// Nothing here is deployed by CI; deployment/README.md walks through it. What it creates:
//   - user-assigned identity `id-<name>-bot`: the bot's Entra identity for Bot Framework (MicrosoftAppType=
//     UserAssignedMSI) AND for Azure Resource Manager (AZURE_CLIENT_ID, DefaultAzureCredential);
//   - user-assigned identity `id-<name>-pull`: AcrPull on the image registry only, usable by the platform, not by code;
//   - custom role "registry network operator" assigned on the registries' resource groups (modules/registry-operator-role.bicep);
//   - custom read-only "registry resolver" role (or built-in Reader) on subscriptions, for Resource Graph resolution;
//   - Log Analytics, a VNet-integrated Container Apps environment and the container app (HTTPS ingress on 3978);
//   - Azure Bot (kind azurebot, UserAssignedMSI) with the Microsoft Teams channel;
//   - the store: SQLite on an Azure Files volume (one replica), or Azure Database for PostgreSQL flexible server
//     (private access) when more than one replica is wanted, or an external PostgreSQL URL.
targetScope = 'resourceGroup'

metadata description = 'acr-access-bot: Teams/Slack bot that explains ACR firewall denials and applies approval-gated IP rules.'

// ---------------------------------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------------------------------

@description('Azure region for every regional resource (the Azure Bot itself is global).')
param location string = resourceGroup().location

@minLength(3)
@maxLength(20)
@description('Base name for the resources: lowercase letters, digits and hyphens, starting with a letter.')
param name string = 'acraccess'

@description('Tags applied to every resource.')
param tags object = {}

@description('Extra tags on the container app only. azd finds the app it deploys to by its azd-service-name tag (deployment/azd).')
param appTags object = {}

@description('Bot container image, e.g. myregistry.azurecr.io/acr-access-bot:0.1.0 (an immutable tag or a digest).')
param image string

@description('Name of the Azure Container Registry that holds the image, pulled with a dedicated pull-only identity (AcrPull on that registry). Empty when the image is public.')
param imageRegistryName string = ''

@description('Resource group of the image registry.')
param imageRegistryResourceGroup string = resourceGroup().name

@description('Subscription of the image registry.')
param imageRegistrySubscriptionId string = subscription().subscriptionId

@description('Subscription that holds the registries the bot manages (the custom operator role is created here).')
param registriesSubscriptionId string = subscription().subscriptionId

@minLength(1)
@description('Resource groups (in registriesSubscriptionId) that hold the registries the bot may change. The operator role (registries read/write) is assigned on each of them and nowhere else. For registries in another subscription, deploy again with a different name or assign the role by hand.')
param registriesResourceGroups string[]

@description('Name of the custom operator role; must be unique in the tenant.')
param operatorRoleName string = 'ACR Access Bot registry network operator (${uniqueString(resourceGroup().id, name)})'

@allowed([
  'CustomReader'
  'Reader'
  'None'
])
@description('Read access for resolving pasted login servers with Azure Resource Graph and naming the owner of client IPs: CustomReader (registries, private endpoint connections, public IPs and prefixes: recommended), the built-in Reader (everything readable), or None (the bot then only sees registries in registriesResourceGroups).')
param resolverRole string = 'CustomReader'

@minLength(1)
@description('Subscriptions where the read role is assigned and that the bot searches (AZURE_SUBSCRIPTION_IDS). Defaults to the registries subscription.')
param resolverSubscriptionIds string[] = [
  registriesSubscriptionId
]

@description('Name of the custom read-only resolver role; must be unique in the tenant.')
param resolverRoleName string = 'ACR Access Bot registry resolver (${uniqueString(resourceGroup().id, name)})'

@description('Display name of the bot in Teams.')
param botDisplayName string = 'ACR Access'

@allowed([
  'F0'
  'S1'
])
@description('Azure Bot pricing tier. Microsoft Teams is a standard channel, free on F0.')
param botSku string = 'F0'

@description('Extra Bot Framework settings passed to the container under their botbuilder names (e.g. ChannelService, ToChannelFromBotLoginUrl, ToChannelFromBotOAuthScope for sovereign clouds). Not for secrets.')
param botFrameworkSettings object = {}

@secure()
@description('Slack bot token (xoxb-...). Empty: Slack off.')
param slackBotToken string = ''

@secure()
@description('Slack signing secret (HTTP mode, POST /slack/events).')
param slackSigningSecret string = ''

@secure()
@description('Slack app-level token (xapp-..., connections:write) for Socket Mode. Leave empty for HTTP mode.')
param slackAppToken string = ''

@description('Slack Web API base URL (GovSlack). Empty: Slack\'s default.')
param slackApiUrl string = ''

@description('Contents of the policy file (YAML, see policy.example.yaml). Stored as a container app secret and mounted read-only at /app/policy/policy.yaml (POLICY_FILE). Empty: no policy file.')
param policyYaml string = ''

@description('The access API for CI jobs (CI_AUTH_AUDIENCE): the app id URI (and optionally the client id) of the Entra app registration CI workload identities request tokens for, e.g. api://acr-access-bot. Empty: the API is off. Tokens are accepted from the bot identity\'s tenant.')
param ciAuthAudience string = ''

@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
  'trace'
  'silent'
])
@description('LOG_LEVEL of the bot.')
param logLevel string = 'info'

@description('Azure Resource Manager endpoint the bot talks to (AZURE_RESOURCE_MANAGER_ENDPOINT). Defaults to the cloud this template is deployed in.')
param armEndpoint string = environment().resourceManager

@description('vCPU per replica (Container Apps consumption sizes: 0.25, 0.5, 0.75, 1, ...; memory must match, 2 GiB per vCPU).')
param cpu string = '0.5'

@description('Memory per replica, e.g. 1Gi for 0.5 vCPU.')
param memory string = '1Gi'

@minValue(1)
@description('Minimum replicas. At least 1: the expiry scheduler and Slack Socket Mode need a running process.')
param minReplicas int = 1

@minValue(1)
@maxValue(10)
@description('Maximum replicas. More than 1 needs PostgreSQL (usePostgres or externalDatabaseUrl); with SQLite the app is held at 1.')
param maxReplicas int = 1

@description('Deploy Azure Database for PostgreSQL flexible server (private access in the VNet) as the store. Defaults to true when maxReplicas > 1.')
param usePostgres bool = maxReplicas > 1

@description('PostgreSQL administrator login (password authentication).')
param postgresAdminLogin string = 'acrbotadmin'

@secure()
@description('PostgreSQL administrator password. Required when PostgreSQL is deployed.')
param postgresAdminPassword string = ''

@description('PostgreSQL compute size.')
param postgresSkuName string = 'Standard_B1ms'

@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
@description('PostgreSQL compute tier.')
param postgresSkuTier string = 'Burstable'

@description('PostgreSQL major version.')
param postgresVersion string = '17'

@description('PostgreSQL storage in GiB.')
param postgresStorageSizeGB int = 32

@description('Database the bot uses.')
param postgresDatabaseName string = 'acraccess'

@secure()
@description('postgres://... URL of an existing PostgreSQL database to use instead of deploying one (the bot must be able to reach it).')
param externalDatabaseUrl string = ''

@description('Address space of the VNet the Container Apps environment (and PostgreSQL) live in.')
param vnetAddressPrefix string = '10.90.0.0/22'

@description('Subnet for the Container Apps environment (workload profiles: /27 or larger), delegated to Microsoft.App/environments.')
param appsSubnetPrefix string = '10.90.0.0/23'

@description('Subnet for PostgreSQL flexible server, delegated to Microsoft.DBforPostgreSQL/flexibleServers.')
param postgresSubnetPrefix string = '10.90.2.0/28'

@minValue(30)
@maxValue(730)
@description('Log Analytics retention in days.')
param logRetentionDays int = 30

// ---------------------------------------------------------------------------------------------------------------------
// Names and derived settings
// ---------------------------------------------------------------------------------------------------------------------

var suffix = uniqueString(subscription().id, resourceGroup().id, name)
var botIdentityName = 'id-${name}-bot'
var pullIdentityName = 'id-${name}-pull'
var logAnalyticsName = 'log-${name}-${suffix}'
var vnetName = 'vnet-${name}'
var environmentName = 'cae-${name}'
var appName = 'ca-${name}'
var botName = 'bot-${name}-${suffix}'
var storageAccountName = take(toLower('st${replace(name, '-', '')}${suffix}'), 24)
var postgresServerName = 'psql-${name}-${suffix}'
var port = 3978

var pullFromAcr = !empty(imageRegistryName)
var useExternalDatabase = !empty(externalDatabaseUrl)
var deployPostgres = usePostgres && !useExternalDatabase
var useSqlite = !usePostgres && !useExternalDatabase
// SQLite is one file guarded by a process lock: never more than one replica on it.
var effectiveMaxReplicas = useSqlite ? 1 : maxReplicas
var effectiveMinReplicas = min(minReplicas, effectiveMaxReplicas)

// Public DNS suffix of flexible servers per cloud; the private zone for VNet integration must end with it.
var cloudName = environment().name
var postgresDnsSuffix = cloudName == 'AzureUSGovernment' ? 'postgres.database.usgovcloudapi.net' : (cloudName == 'AzureChinaCloud' ? 'postgres.database.chinacloudapi.cn' : 'postgres.database.azure.com')
var postgresFqdn = '${postgresServerName}.${postgresDnsSuffix}'
// pg reads sslmode=verify-full as: TLS, certificate chain and host name checked against the system CAs.
var postgresUrl = 'postgres://${uriComponent(postgresAdminLogin)}:${uriComponent(postgresAdminPassword)}@${postgresFqdn}:5432/${postgresDatabaseName}?sslmode=verify-full'
var databaseUrl = useExternalDatabase ? externalDatabaseUrl : (deployPostgres ? postgresUrl : 'sqlite:/app/data/acr-access.db')

var subscriptionsToSearch = union([registriesSubscriptionId], resolverSubscriptionIds)

// Built-in Reader, only when resolverRole = 'Reader'.
var readerRoleId = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'

// ---------------------------------------------------------------------------------------------------------------------
// Identities
// ---------------------------------------------------------------------------------------------------------------------

// The bot's one identity: Bot Framework app id (UserAssignedMSI) and the ARM caller for DefaultAzureCredential.
resource botIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: botIdentityName
  location: location
  tags: tags
}

// Pull-only identity for the image registry; not exposed to the container (lifecycle None below).
resource pullIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: pullIdentityName
  location: location
  tags: tags
}

// ---------------------------------------------------------------------------------------------------------------------
// Access to the registries the bot manages (least privilege: docs/azure.md, "Least privilege")
// ---------------------------------------------------------------------------------------------------------------------

module operatorRole 'modules/registry-operator-role.bicep' = {
  name: 'acrbot-operator-role-${suffix}'
  scope: subscription(registriesSubscriptionId)
  params: {
    roleName: operatorRoleName
    registryResourceGroups: registriesResourceGroups
  }
}

module operatorAssignments 'modules/role-assignment-rg.bicep' = [
  for rg in registriesResourceGroups: {
    name: 'acrbot-operator-${uniqueString(suffix, rg)}'
    scope: resourceGroup(registriesSubscriptionId, rg)
    params: {
      principalId: botIdentity.properties.principalId
      roleDefinitionId: operatorRole.outputs.roleDefinitionId
      assignmentDescription: 'acr-access-bot ${name}: read registries and update their firewall after approval.'
    }
  }
]

module resolverCustomRole 'modules/registry-resolver-role.bicep' = if (resolverRole == 'CustomReader') {
  name: 'acrbot-resolver-role-${suffix}'
  scope: subscription(resolverSubscriptionIds[0])
  params: {
    roleName: resolverRoleName
    subscriptionIds: resolverSubscriptionIds
  }
}

module resolverAssignments 'modules/role-assignment-subscription.bicep' = [
  for sub in (resolverRole == 'None' ? [] : resolverSubscriptionIds): {
    name: 'acrbot-resolver-${uniqueString(suffix, sub)}'
    scope: subscription(sub)
    params: {
      principalId: botIdentity.properties.principalId
      roleDefinitionId: '/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${resolverRole == 'Reader' ? readerRoleId : resolverCustomRole!.outputs.roleDefinitionGuid}'
      assignmentDescription: 'acr-access-bot ${name}: resolve registries (Resource Graph) and name the owners of client IPs; read-only.'
    }
  }
]

// AcrPull on the image registry only, for the pull identity (separate from everything above).
module imagePull 'modules/image-pull.bicep' = if (pullFromAcr) {
  name: 'acrbot-image-pull-${suffix}'
  scope: resourceGroup(imageRegistrySubscriptionId, imageRegistryResourceGroup)
  params: {
    registryName: imageRegistryName
    principalId: pullIdentity.properties.principalId
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Logs and network
// ---------------------------------------------------------------------------------------------------------------------

resource logs 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
    features: {
      enableLogAccessUsingOnlyResourcePermissions: true
    }
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-10-01' = {
  name: vnetName
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        vnetAddressPrefix
      ]
    }
    subnets: [
      {
        name: 'snet-apps'
        properties: {
          addressPrefix: appsSubnetPrefix
          delegations: [
            {
              name: 'Microsoft.App.environments'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: 'snet-postgres'
        properties: {
          addressPrefix: postgresSubnetPrefix
          delegations: [
            {
              name: 'Microsoft.DBforPostgreSQL.flexibleServers'
              properties: {
                serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers'
              }
            }
          ]
        }
      }
    ]
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Store: PostgreSQL flexible server (private access) when asked for; otherwise SQLite on an Azure Files share
// ---------------------------------------------------------------------------------------------------------------------

resource postgresDnsZone 'Microsoft.Network/privateDnsZones@2024-06-01' = if (deployPostgres) {
  name: '${postgresServerName}.private.${postgresDnsSuffix}'
  location: 'global'
  tags: tags
}

resource postgresDnsLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = if (deployPostgres) {
  parent: postgresDnsZone
  name: 'link-${vnetName}'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2025-08-01' = if (deployPostgres) {
  name: postgresServerName
  location: location
  tags: tags
  sku: {
    name: postgresSkuName
    tier: postgresSkuTier
  }
  properties: {
    version: postgresVersion
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    authConfig: {
      activeDirectoryAuth: 'Disabled'
      passwordAuth: 'Enabled'
    }
    storage: {
      storageSizeGB: postgresStorageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    // Private access: reachable only from the VNet (no public endpoint, no firewall rules).
    network: {
      delegatedSubnetResourceId: '${vnet.id}/subnets/snet-postgres'
      privateDnsZoneArmResourceId: postgresDnsZone.id
    }
  }
  dependsOn: [
    postgresDnsLink
  ]
}

resource postgresDatabase 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2025-08-01' = if (deployPostgres) {
  parent: postgres
  name: postgresDatabaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// SQLite needs its file to survive restarts and new revisions (grants and their expiry live there).
resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' = if (useSqlite) {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Container Apps mounts Azure Files over SMB with the account key.
    allowSharedKeyAccess: true
  }
}

resource fileService 'Microsoft.Storage/storageAccounts/fileServices@2025-01-01' = if (useSqlite) {
  parent: storage
  name: 'default'
  properties: {
    shareDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource dataShare 'Microsoft.Storage/storageAccounts/fileServices/shares@2025-01-01' = if (useSqlite) {
  parent: fileService
  name: 'data'
  properties: {
    shareQuota: 5
    enabledProtocols: 'SMB'
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Container Apps environment and app
// ---------------------------------------------------------------------------------------------------------------------

resource containerAppsEnvironment 'Microsoft.App/managedEnvironments@2025-07-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
    vnetConfiguration: {
      infrastructureSubnetId: '${vnet.id}/subnets/snet-apps'
      internal: false
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
    zoneRedundant: false
  }
}

resource environmentDataStorage 'Microsoft.App/managedEnvironments/storages@2025-07-01' = if (useSqlite) {
  parent: containerAppsEnvironment
  name: 'data'
  properties: {
    azureFile: {
      accountName: storage.name
      accountKey: storage.listKeys().keys[0].value
      shareName: dataShare.name
      accessMode: 'ReadWrite'
    }
  }
}

// Secrets: container app secrets, referenced by secretRef; never plain environment values.
var databaseSecrets = [
  {
    name: 'database-url'
    value: databaseUrl
  }
]
var slackBotTokenSecrets = empty(slackBotToken) ? [] : [
  {
    name: 'slack-bot-token'
    value: slackBotToken
  }
]
var slackSigningSecrets = empty(slackSigningSecret) ? [] : [
  {
    name: 'slack-signing-secret'
    value: slackSigningSecret
  }
]
var slackAppTokenSecrets = empty(slackAppToken) ? [] : [
  {
    name: 'slack-app-token'
    value: slackAppToken
  }
]
var policySecrets = empty(policyYaml) ? [] : [
  {
    name: 'policy-yaml'
    value: policyYaml
  }
]

// Environment: exactly the variables src/config.ts reads (plus AZURE_CLIENT_ID for DefaultAzureCredential).
var baseEnv = [
  {
    name: 'PORT'
    value: string(port)
  }
  {
    name: 'LOG_LEVEL'
    value: logLevel
  }
  {
    name: 'MicrosoftAppType'
    value: 'UserAssignedMSI'
  }
  {
    name: 'MicrosoftAppId'
    value: botIdentity.properties.clientId
  }
  {
    name: 'MicrosoftAppTenantId'
    value: botIdentity.properties.tenantId
  }
  {
    name: 'AZURE_CLIENT_ID'
    value: botIdentity.properties.clientId
  }
  {
    name: 'AZURE_SUBSCRIPTION_IDS'
    value: join(subscriptionsToSearch, ',')
  }
  {
    name: 'AZURE_RESOURCE_MANAGER_ENDPOINT'
    value: armEndpoint
  }
  {
    name: 'DATABASE_URL'
    secretRef: 'database-url'
  }
]
var slackBotTokenEnv = empty(slackBotToken) ? [] : [
  {
    name: 'SLACK_BOT_TOKEN'
    secretRef: 'slack-bot-token'
  }
]
var slackSigningEnv = empty(slackSigningSecret) ? [] : [
  {
    name: 'SLACK_SIGNING_SECRET'
    secretRef: 'slack-signing-secret'
  }
]
var slackAppTokenEnv = empty(slackAppToken) ? [] : [
  {
    name: 'SLACK_APP_TOKEN'
    secretRef: 'slack-app-token'
  }
]
var slackApiUrlEnv = empty(slackApiUrl) ? [] : [
  {
    name: 'SLACK_API_URL'
    value: slackApiUrl
  }
]
var policyEnv = empty(policyYaml) ? [] : [
  {
    name: 'POLICY_FILE'
    value: '/app/policy/policy.yaml'
  }
]
var ciApiEnv = empty(ciAuthAudience) ? [] : [
  {
    name: 'CI_AUTH_AUDIENCE'
    value: ciAuthAudience
  }
]
var botFrameworkEnv = map(items(botFrameworkSettings), setting => {
  name: setting.key
  value: string(setting.value)
})

var dataVolumes = useSqlite ? [
  {
    name: 'data'
    storageType: 'AzureFile'
    storageName: 'data'
    // Owned by the image's non-root user (uid/gid 1000). nobrl: SQLite's byte-range locks stay in this client
    // (SMB server-side locks make SQLite report "database is locked"); safe because only one replica uses the file.
    mountOptions: 'uid=1000,gid=1000,dir_mode=0700,file_mode=0600,nobrl,mfsymlinks,cache=strict'
  }
] : []
var dataMounts = useSqlite ? [
  {
    volumeName: 'data'
    mountPath: '/app/data'
  }
] : []
var policyVolumes = empty(policyYaml) ? [] : [
  {
    name: 'policy'
    storageType: 'Secret'
    secrets: [
      {
        secretRef: 'policy-yaml'
        path: 'policy.yaml'
      }
    ]
  }
]
var policyMounts = empty(policyYaml) ? [] : [
  {
    volumeName: 'policy'
    mountPath: '/app/policy'
  }
]

resource app 'Microsoft.App/containerApps@2025-07-01' = {
  name: appName
  location: location
  tags: union(tags, appTags)
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${botIdentity.id}': {}
      '${pullIdentity.id}': {}
    }
  }
  properties: {
    environmentId: containerAppsEnvironment.id
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      maxInactiveRevisions: 5
      identitySettings: [
        {
          identity: botIdentity.id
          lifecycle: 'Main'
        }
        {
          identity: pullIdentity.id
          lifecycle: 'None'
        }
      ]
      ingress: {
        external: true
        targetPort: port
        transport: 'http'
        allowInsecure: false
        traffic: [
          {
            latestRevision: true
            weight: 100
          }
        ]
      }
      registries: pullFromAcr ? [
        {
          server: imagePull!.outputs.loginServer
          identity: pullIdentity.id
        }
      ] : []
      secrets: concat(databaseSecrets, slackBotTokenSecrets, slackSigningSecrets, slackAppTokenSecrets, policySecrets)
    }
    template: {
      containers: [
        {
          name: 'bot'
          image: image
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          env: concat(baseEnv, slackBotTokenEnv, slackSigningEnv, slackAppTokenEnv, slackApiUrlEnv, policyEnv, ciApiEnv, botFrameworkEnv)
          probes: [
            {
              type: 'Startup'
              httpGet: {
                path: '/healthz'
                port: port
                scheme: 'HTTP'
              }
              initialDelaySeconds: 2
              periodSeconds: 10
              timeoutSeconds: 3
              failureThreshold: 10
            }
            {
              type: 'Liveness'
              httpGet: {
                path: '/healthz'
                port: port
                scheme: 'HTTP'
              }
              periodSeconds: 30
              timeoutSeconds: 5
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/readyz'
                port: port
                scheme: 'HTTP'
              }
              periodSeconds: 10
              timeoutSeconds: 5
              failureThreshold: 3
              successThreshold: 1
            }
          ]
          volumeMounts: concat(dataMounts, policyMounts)
        }
      ]
      scale: {
        minReplicas: effectiveMinReplicas
        maxReplicas: effectiveMaxReplicas
      }
      volumes: concat(dataVolumes, policyVolumes)
      // SIGTERM, then this long to finish in-flight turns and release locks before SIGKILL.
      terminationGracePeriodSeconds: 60
    }
  }
  dependsOn: [
    environmentDataStorage
    postgresDatabase
    operatorAssignments
    resolverAssignments
  ]
}

// ---------------------------------------------------------------------------------------------------------------------
// Azure Bot with the Microsoft Teams channel
// ---------------------------------------------------------------------------------------------------------------------

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botName
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${app.properties.configuration.ingress.fqdn}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: botIdentity.properties.clientId
    msaAppMSIResourceId: botIdentity.id
    msaAppTenantId: botIdentity.properties.tenantId
    // Only Entra (managed identity) authentication; no channel keys.
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      acceptedTerms: true
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Outputs (no secrets)
// ---------------------------------------------------------------------------------------------------------------------

@description('Host name of the container app (HTTPS).')
output appFqdn string = app.properties.configuration.ingress.fqdn

@description('Login server of the image registry (empty for a public image); azd pushes the image it builds there.')
output imageRegistryLoginServer string = pullFromAcr ? imagePull!.outputs.loginServer : ''

@description('Messaging endpoint configured on the Azure Bot (Teams).')
output botEndpoint string = bot.properties.endpoint

@description('Request URL for the Slack app (events, interactivity, slash command) in HTTP mode.')
output slackRequestUrl string = 'https://${app.properties.configuration.ingress.fqdn}/slack/events'

@description('Client id of the bot identity: the Teams app manifest botId and MicrosoftAppId.')
output botIdentityClientId string = botIdentity.properties.clientId

@description('Object id of the bot identity (for extra role assignments).')
output botIdentityPrincipalId string = botIdentity.properties.principalId

@description('Tenant of the bot identity (MicrosoftAppTenantId); Teams must be in this tenant.')
output tenantId string = botIdentity.properties.tenantId

@description('Name of the Azure Bot resource.')
output botName string = bot.name

@description('Name of the container app.')
output containerAppName string = app.name

@description('Store in use.')
output store string = useSqlite ? 'sqlite (Azure Files volume at /app/data)' : useExternalDatabase ? 'postgres (external)' : 'postgres (flexible server ${postgresServerName})'

@description('Maximum replicas actually configured (1 with SQLite).')
output effectiveMaxReplicas int = effectiveMaxReplicas

@description('Custom operator role definition id.')
output operatorRoleDefinitionId string = operatorRole.outputs.roleDefinitionId

@description('Log Analytics workspace with the container logs (ContainerAppConsoleLogs_CL).')
output logAnalyticsWorkspaceName string = logs.name
