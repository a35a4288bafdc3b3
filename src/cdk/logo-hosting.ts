/**
 * The brands' logo files, published as serverless.yml publishes them: a
 * private, encrypted bucket that only this distribution reads (origin access
 * control), https only, filled on every deploy by the same custom resource
 * function (src/authoring/logo-assets.ts). The functions get `baseUrl` as
 * LOGO_BASE_URL.
 */
import { CustomResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { LOGO_UPLOAD_HANDLER, type LogoObject } from '../authoring/logo-assets.js';

export interface LogoHostingProps {
  /** The files to publish, by their content-hashed names. */
  readonly objects: readonly LogoObject[];
  readonly retention: logs.RetentionDays;
  /** The acknowledgment of the upload function's runtime, as the pack's own functions give it. */
  readonly runtimeReason: string;
}

export class LogoHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** `https://<distribution domain>`: LOGO_BASE_URL. */
  readonly baseUrl: string;

  constructor(scope: Construct, id: string, props: LogoHostingProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'The bucket holds a few public logo files that CloudFront serves; reads are logged nowhere else either.',
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'brand logos for emails (cognito-trigger-pack)',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        // The names are content-hashed: a year of caching never serves an old logo.
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        compress: true,
      },
    });
    const reasons: Record<string, string> = {
      'AwsSolutions-CFR1': 'Logos are shown in emails read anywhere; there is no country to restrict.',
      'AwsSolutions-CFR2': 'The distribution serves a few static logo files; a WAF would guard nothing.',
      'AwsSolutions-CFR3': 'Who loaded a logo is who opened an email: not logged, on purpose.',
      'AwsSolutions-CFR4':
        "The default CloudFront domain's certificate decides the TLS versions; a custom domain is the team's choice.",
    };
    for (const [rule, reason] of Object.entries(reasons)) {
      Validations.of(this.distribution).acknowledge({ id: rule, reason });
    }
    this.baseUrl = `https://${this.distribution.distributionDomainName}`;

    const logGroup = new logs.LogGroup(this, 'UploadLogs', {
      retention: props.retention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'UploadRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: {
        'upload-brand-logos': new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: 'WriteOwnLogs',
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [`${logGroup.logGroupArn}`],
            }),
            new iam.PolicyStatement({
              sid: 'PutAndRemoveLogos',
              actions: ['s3:PutObject', 's3:DeleteObject'],
              resources: [this.bucket.arnForObjects('*')],
            }),
          ],
        }),
      },
    });
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
      reason: 'The upload writes the logo files of this bucket, whose names change with their content.',
    });
    const upload = new lambda.Function(this, 'Upload', {
      code: lambda.Code.fromInline(LOGO_UPLOAD_HANDLER),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(60),
      description: 'Puts the brands’ logo files into their bucket (cognito-trigger-pack)',
      role: role.withoutPolicyUpdates(),
      logGroup,
    });
    Validations.of(upload).acknowledge({ id: 'AwsSolutions-L1', reason: props.runtimeReason });
    const files = new CustomResource(this, 'Files', {
      serviceToken: upload.functionArn,
      resourceType: 'Custom::BrandLogos',
      properties: { Bucket: this.bucket.bucketName, Objects: props.objects },
    });
    // The bucket policy first: the distribution must be able to read what is put there.
    if (this.bucket.policy) files.node.addDependency(this.bucket.policy);
  }
}
