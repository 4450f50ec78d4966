import type { Role } from "../generated/prisma/enums";

// One demo account per role, created by the seed. Listed on the sign-in page in demo mode only.
export const DEMO_PASSWORD = "greenlight-demo";

export const DEMO_ACCOUNTS: { email: string; name: string; roles: Role[] }[] = [
  { email: "cto@greenlight.demo", name: "Carla Mendes", roles: ["EXECUTIVE"] },
  { email: "devlead@greenlight.demo", name: "Diego Almeida", roles: ["DEV_LEAD"] },
  { email: "ops@greenlight.demo", name: "Otávio Ramos", roles: ["OPS_MANAGER"] },
  { email: "devops@greenlight.demo", name: "Vitória Lima", roles: ["DEVOPS"] },
  { email: "dba@greenlight.demo", name: "Bruno Costa", roles: ["DBA"] },
  { email: "data@greenlight.demo", name: "Daniela Souza", roles: ["DATA_ENGINEER"] },
  { email: "security@greenlight.demo", name: "Sérgio Nunes", roles: ["SECURITY_OFFICER"] },
  { email: "finance@greenlight.demo", name: "Fernanda Rocha", roles: ["FINANCE"] },
  { email: "admin@greenlight.demo", name: "Ana Pereira", roles: ["ADMIN"] },
  { email: "viewer@greenlight.demo", name: "Vinícius Dias", roles: ["VIEWER"] },
];
